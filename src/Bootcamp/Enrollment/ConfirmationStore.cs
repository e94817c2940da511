using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Enrollment;

/// <summary>What a confirmation needs of its enrollment, returned by the claim itself (columns by the snake_case convention).</summary>
public sealed record ClaimedConfirmation(long Id, string Email, DateTime ConfirmationRequestedAt);

/// <summary>The confirmation's side of the record: claimed per group in one statement, given back on a transient failure.</summary>
public sealed class ConfirmationStore(BootcampDb db)
{
    /// <summary>
    /// Claims the outstanding requests among <paramref name="ids"/> (only one job sends for each request,
    /// however often Hangfire runs it) and returns what sending them needs: one statement for the group
    /// instead of a claim, a read and a look-up per sign-up.
    /// </summary>
    public async Task<List<ClaimedConfirmation>> ClaimAsync(IReadOnlyList<long> ids, DateTime now, CancellationToken cancellationToken)
    {
        List<object> parameters = [db.Parameter("now", now)];
        string idList;
        if (db.IsPostgres)
        {
            parameters.Add(db.Parameter("ids", ids.ToArray()));
            idList = "= ANY(@ids)";
        }
        else
        {
            // SQLite has no arrays: one parameter per id (a group is at most a few hundred).
            parameters.AddRange(ids.Select((id, i) => (object)db.Parameter($"id{i}", id)));
            idList = $"IN ({string.Join(", ", ids.Select((_, i) => $"@id{i}"))})";
        }
        var sql = $"""
            UPDATE enrollments SET confirmation_sent_at = @now
            WHERE id {idList} AND status = 'Pending' AND confirmation_requested_at IS NOT NULL
              AND (confirmation_sent_at IS NULL OR confirmation_sent_at < confirmation_requested_at)
            RETURNING id, email, confirmation_requested_at
            """;
        return await db.Database.SqlQueryRaw<ClaimedConfirmation>(sql, [.. parameters]).ToListAsync(cancellationToken);
    }

    /// <summary>Gives a request back after a transient failure, so that a retry can claim it again.</summary>
    public Task ReleaseAsync(long id) =>
        db.Enrollments.Where(x => x.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConfirmationSentAt, (DateTime?)null), CancellationToken.None);
}
