using Npgsql;

namespace Bootcamp.Benchmarks.Dashboard;

/// <summary>
/// A list of <c>count</c> enrollments in every state, with seven lessons each for every confirmed one,
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
                   now() - interval '10 days', 'api', 'bench', now() - interval '10 days', now() - interval '9 days', 0,
                   CASE WHEN g % 10 = 6 THEN now() END
            FROM generate_series(1, {count}) AS g
            """, cancellationToken);
        await ExecuteAsync(connection, """
            INSERT INTO lessons (enrollment_id, day, due_at, state, attempts, sent_at, opened_at, machine_opened_at, clicked_at, completed_at)
            SELECT e.id, d, now() - interval '9 days' + d * interval '1 day', 'Sent', 1, now() - interval '8 days' + d * interval '1 day',
                   CASE WHEN (e.id + d) % 3 = 0 THEN now() END,
                   CASE WHEN (e.id + d) % 5 = 0 THEN now() END,
                   CASE WHEN (e.id + d) % 7 = 0 THEN now() END,
                   CASE WHEN e.completed_at IS NOT NULL OR (e.id + d) % 4 = 0 THEN now() END
            FROM enrollments AS e CROSS JOIN generate_series(1, 7) AS d
            WHERE e.status <> 'Pending'
            """, cancellationToken);
        await ExecuteAsync(connection, "ANALYZE enrollments; ANALYZE lessons;", cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
