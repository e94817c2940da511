using Npgsql;

namespace Bootcamp.Benchmarks.Dashboard;

/// <summary>
/// A list of <c>count</c> enrollments in every state, with seven lessons each for every confirmed one (active ones
/// on day 3),
/// opens, clicks and done steps spread over them — written by PostgreSQL itself (generate_series), so
/// the stats triggers fire the way a live list's would have.
/// </summary>
internal static class MillionSeeder
{
    public static async Task SeedAsync(string connectionString, int count, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"""
            INSERT INTO enrollments (email, email_key, time_zone, discreet, no_tracking, status, created_at, consent_source, consent_version,
                                     confirmation_requested_at, confirmed_at, soft_bounces, completed_at)
            SELECT 'reader' || g || '@example.org', 'reader' || g || '@example.org', 'Europe/Paris', g % 7 = 0, false,
                   CASE WHEN g % 10 = 0 THEN 'Pending' WHEN g % 10 IN (1, 2, 3) THEN 'Active' WHEN g % 10 = 4 THEN 'Unsubscribed'
                        WHEN g % 10 = 5 THEN 'Bounced' ELSE 'Finished' END,
                   now() - interval '10 days', 'api', 'bench',
                   -- Pending ones asked just now, so the host's housekeeping does not forget them while the benchmark reads.
                   CASE WHEN g % 10 = 0 THEN now() ELSE now() - interval '10 days' END,
                   CASE WHEN g % 10 = 0 THEN NULL ELSE now() - interval '9 days' END, 0,
                   CASE WHEN g % 10 = 6 THEN now() END
            FROM generate_series(1, {count}) AS g
            """, cancellationToken);
        await ExecuteAsync(connection, """
            INSERT INTO lessons (enrollment_id, day, due_at, state, attempts, sent_at, opened_at, machine_opened_at, clicked_at, completed_at)
            SELECT e.id, d, due, CASE WHEN waiting THEN 'Scheduled' ELSE 'Sent' END, CASE WHEN waiting THEN 0 ELSE 1 END,
                   CASE WHEN NOT waiting THEN due + interval '1 minute' END,
                   CASE WHEN NOT waiting AND (e.id + d) % 3 = 0 THEN now() END,
                   CASE WHEN NOT waiting AND (e.id + d) % 5 = 0 THEN now() END,
                   CASE WHEN NOT waiting AND (e.id + d) % 7 = 0 THEN now() END,
                   CASE WHEN NOT waiting AND (e.completed_at IS NOT NULL OR (e.id + d) % 4 = 0) THEN now() END
            FROM enrollments AS e CROSS JOIN generate_series(1, 7) AS d
            -- Active courses are on day 3: lessons 4–7 wait for their days (so the host does not finish them meanwhile).
            CROSS JOIN LATERAL (SELECT e.status = 'Active' AND d > 3 AS waiting,
                                       CASE WHEN e.status = 'Active' AND d > 3 THEN now() + (d - 3) * interval '1 day'
                                            ELSE now() - interval '9 days' + d * interval '1 day' END AS due) AS l
            WHERE e.status <> 'Pending'
            """, cancellationToken);
        // A live list is vacuumed and analysed as it grows; without this, autovacuum's first pass over the
        // seven million new rows runs while the benchmark measures.
        foreach (var table in new[] { "enrollments", "lessons", "overview_counts", "activity_counts", "enrollment_stats" })
        {
            await ExecuteAsync(connection, $"VACUUM (ANALYZE) {table}", cancellationToken);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
