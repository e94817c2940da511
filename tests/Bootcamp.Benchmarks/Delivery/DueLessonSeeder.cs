using Npgsql;
using NpgsqlTypes;

namespace Bootcamp.Benchmarks.Delivery;

/// <summary>
/// Writes the record the way it looks when lessons fall due: <c>count</c> active enrollments, each with
/// its seven lesson rows, exactly one of them due now. The due day cycles through 1–7, so the earlier
/// days are already sent and the later ones scheduled for coming days, and a seventh of the sends end a
/// campaign. The due rows are written last, by themselves: their commit starts the clock.
/// </summary>
/// <param name="timeZone">Every reader in this zone; null: the sample readers' mix of zones.</param>
internal sealed class DueLessonSeeder(string connectionString, int count, long firstId = 1, string? timeZone = null)
{
    public const string Sent = "Sent";
    public const string Scheduled = "Scheduled";

    private readonly DateTime now = DateTime.UtcNow;

    // Set by ReleaseDueLessonsAsync(at): every due lesson falls due at that one instant.
    private DateTime? dueInstant;

    public int Count => count;

    /// <summary>Due lessons have due_at in (<see cref="DueAfter"/>, <see cref="DueUntil"/>]; every other lesson lies a day or more away.</summary>
    public DateTime DueAfter => now.AddMinutes(-10);

    public DateTime DueUntil => dueInstant ?? now;

    public HashSet<string> Addresses { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sends that are an enrollment's seventh lesson: each ends its campaign.</summary>
    public int LastLessons => Ids.Count(n => DueDay(n) == 7);

    public int HistoryLessons => Ids.Sum(n => DueDay(n) - 1);

    public int FutureLessons => Ids.Sum(n => 7 - DueDay(n));

    private IEnumerable<long> Ids => Enumerable.Range(0, count).Select(i => firstId + i);

    /// <summary>Enrollments and every lesson row except the due ones, then fresh planner statistics, as a live table has.</summary>
    public async Task SeedRecordAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await WriteEnrollmentsAsync(connection, cancellationToken);
            await WriteLessonsAsync(connection, due: false, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await using var analyze = new NpgsqlCommand(
            "SELECT setval(pg_get_serial_sequence('enrollments', 'id'), @max); ANALYZE enrollments; ANALYZE lessons;", connection);
        analyze.Parameters.AddWithValue("max", firstId + count - 1);
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The due lessons, in one COPY; it returns once they are committed and the dispatcher can see them.
    /// With <paramref name="at"/> (shortly after now), all of them fall due at that one instant instead of
    /// over the last minutes, as when a zone's 08:00 arrives.
    /// </summary>
    public async Task ReleaseDueLessonsAsync(CancellationToken cancellationToken, DateTime? at = null)
    {
        dueInstant = at;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await WriteLessonsAsync(connection, due: true, cancellationToken);
    }

    /// <summary>Removes what this seeder wrote, so that a warm-up leaves nothing for the measured run's checks to count.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var delete = new NpgsqlCommand("""
            DELETE FROM lessons WHERE enrollment_id BETWEEN @first AND @last;
            DELETE FROM enrollments WHERE id BETWEEN @first AND @last;
            """, connection);
        delete.Parameters.AddWithValue("first", firstId);
        delete.Parameters.AddWithValue("last", firstId + count - 1);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static int DueDay(long n) => (int)((n - 1) % 7) + 1;

    private async Task WriteEnrollmentsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync("""
            COPY enrollments (id, email, email_key, first_name, time_zone, discreet, no_tracking, status, created_at,
                              consent_source, consent_version, confirmation_requested_at, confirmation_sent_at, confirmed_at, soft_bounces)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        foreach (var n in Ids)
        {
            var reader = SampleReaders.Number(n);
            Addresses.Add(reader.Email);
            var confirmedAt = now.AddDays(1 - DueDay(n)).AddHours(-1);
            var signedUpAt = confirmedAt.AddMinutes(-7);
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(n, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(reader.Email, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(reader.Email.ToLowerInvariant(), NpgsqlDbType.Varchar, cancellationToken);
            if (reader.FirstName is null)
            {
                await writer.WriteNullAsync(cancellationToken);
            }
            else
            {
                await writer.WriteAsync(reader.FirstName, NpgsqlDbType.Varchar, cancellationToken);
            }
            await writer.WriteAsync(timeZone ?? reader.TimeZone, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(reader.Discreet, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteAsync(reader.NoTracking, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteAsync("Active", NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(signedUpAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync("api", NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync("2026-11-1", NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(signedUpAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(signedUpAt.AddSeconds(2), NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(confirmedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(0, NpgsqlDbType.Integer, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    private async Task WriteLessonsAsync(NpgsqlConnection connection, bool due, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY lessons (enrollment_id, day, due_at, state, attempts, sent_at, message_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var n in Ids)
        {
            var dueDay = DueDay(n);
            for (var day = 1; day <= 7; day++)
            {
                if ((day == dueDay) != due)
                {
                    continue;
                }
                // Due ones spread over the last minutes, as a dispatcher that fell behind would find them.
                var dueAt = day == dueDay ? dueInstant ?? now.AddSeconds(-(n % 300)) : now.AddDays(day - dueDay);
                var sent = day < dueDay;
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(n, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(day, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(dueAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(sent ? Sent : Scheduled, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(sent ? 1 : 0, NpgsqlDbType.Integer, cancellationToken);
                if (sent)
                {
                    await writer.WriteAsync(dueAt.AddSeconds(3), NpgsqlDbType.TimestampTz, cancellationToken);
                    await writer.WriteAsync($"seed-{n}-{day}@example.com", NpgsqlDbType.Varchar, cancellationToken);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken);
                    await writer.WriteNullAsync(cancellationToken);
                }
            }
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
