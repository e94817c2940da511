using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Courses;

/// <summary>
/// Writes course events into the outbox table, always inside the transaction (or the statement) of the
/// transition they describe: an event is there exactly when its change is.
/// </summary>
internal static class Outbox
{
    private const string Columns = "outbox (enrollment_id, type, day, occurred_at)";

    public static Task AppendAsync(this BootcampDb db, long enrollmentId, string type, int? day, DateTime at, CancellationToken cancellationToken) =>
        db.AppendAsync([(enrollmentId, day)], type, at, cancellationToken);

    /// <summary>One event of <paramref name="type"/> per row, in one statement.</summary>
    public static async Task AppendAsync(this BootcampDb db, IReadOnlyCollection<(long EnrollmentId, int? Day)> rows, string type, DateTime at, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        List<object> parameters = [db.Parameter("type", type), db.Parameter("at", at)];
        var values = new List<string>(rows.Count);
        foreach (var (enrollmentId, day) in rows)
        {
            var i = values.Count;
            parameters.Add(db.Parameter($"e{i}", enrollmentId));
            parameters.Add(db.Parameter($"d{i}", (object?)day ?? DBNull.Value));
            values.Add($"(@e{i}, @type, @d{i}, @at)");
        }
        // Only parameter names are written into the statement; every value travels as a parameter.
        var sql = (db.IsPostgres ? HoldWritersLock + "; " : "") + "INSERT INTO " + Columns + " VALUES " + string.Join(", ", values);
        await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
    }

    /// <summary>
    /// PostgreSQL: taken, before the insert, by every transaction that writes events; held until it commits. The
    /// webhook fan-out takes it alone for an instant, so no event below the highest id it then sees is still
    /// uncommitted (sequence ids are handed out in insert order, not commit order).
    /// </summary>
    public static readonly string HoldWritersLock = $"SELECT pg_advisory_xact_lock_shared({AdvisoryLocks.OutboxWriters})";

    /// <summary>
    /// PostgreSQL: the change and its events in one statement (after <see cref="HoldWritersLock"/>). <paramref name="change"/> is an UPDATE returning
    /// <c>enrollment_id</c> and <c>day</c> (NULL for events of the whole course); <paramref name="at"/> a parameter.
    /// </summary>
    /// <param name="alsoWith">More data-modifying CTEs over <c>changed</c>, run in the same statement (or null).</param>
    public static string WithEvents(string change, string type, string at, string? alsoWith = null) => $"""
        WITH changed AS ({change}){(alsoWith is null ? "" : ",\n" + alsoWith)}
        INSERT INTO {Columns} SELECT enrollment_id, '{type}', day, {at} FROM changed
        """;
}

/// <summary>A row a transition changed, as its RETURNING clause gives it: the course and the lesson's day (null for the course itself).</summary>
internal sealed record ChangedRow(long EnrollmentId, int? Day);
