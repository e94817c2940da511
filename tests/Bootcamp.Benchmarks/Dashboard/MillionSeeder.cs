using Npgsql;

namespace Bootcamp.Benchmarks.Dashboard;

/// <summary>What the seeder wrote, counted back from the tables: what the dashboard's answers must show.</summary>
internal sealed record SeededList(long Enrollments, long Confirmed, long Finished, long LessonSevenSent, long Lessons);

/// <summary>
/// A list as thirteen weeks of sign-ups leave it: <c>courses</c> confirmed courses with their seven lessons each (so a
/// million courses make seven million lesson rows), signed up evenly over 91 days, plus one pending sign-up per hundred
/// courses on top, from the last hour (the host forgets older unconfirmed ones). Each course's lessons went out a day
/// apart from its confirmation: courses younger than six days are active and their later lessons wait; older ones
/// finished (some with all seven steps done), or one in ten left after a day of theirs and one in twenty bounced
/// on a lesson (failed with 5.1.1, the rest skipped). Two readers in three did not allow tracking: opens and clicks
/// only for the others (every third id, so the opens' pattern divides the id by three). Written by PostgreSQL itself (generate_series), so the counter triggers fire as a live
/// list's would have.
/// </summary>
internal static class MillionSeeder
{
    public static async Task<SeededList> SeedAsync(string connectionString, int courses, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // One "now" for every statement: the second must see the courses exactly as the first wrote them
        // (with now() each, a course active when its row was written could get its seventh lesson sent).
        var now = DateTime.UtcNow;
        await ExecuteAsync(connection, now, $"""
            INSERT INTO enrollments (email, email_key, time_zone, discreet, no_tracking, status, created_at, consent_source, consent_version,
                                     confirmation_requested_at, confirmed_at, soft_bounces, completed_at, unsubscribed_at, bounced_at, finished_at)
            SELECT 'reader' || g || '@example.org', 'reader' || g || '@example.org', 'Europe/Paris', g % 7 = 0, g % 3 <> 0,
                   CASE WHEN fate = 'leave' AND stop_due <= @now THEN 'Unsubscribed'
                        WHEN fate = 'bounce' AND stop_due <= @now THEN 'Bounced'
                        WHEN last_due <= @now THEN 'Finished' ELSE 'Active' END,
                   created, 'api', 'bench', created, confirmed, 0,
                   CASE WHEN fate = 'stay' AND last_due <= @now AND g % 20 IN (3, 4, 5) THEN least(last_due + interval '3 hours', @now) END,
                   CASE WHEN fate = 'leave' AND stop_due <= @now THEN least(stop_due + interval '2 hours', @now) END,
                   CASE WHEN fate = 'bounce' AND stop_due <= @now THEN least(stop_due + interval '1 minute', @now) END,
                   CASE WHEN fate = 'stay' AND last_due <= @now THEN least(last_due + interval '1 minute', @now) END
            FROM generate_series(1, {courses}) AS g
            -- Oldest first, as ids grow: the last course signed up an hour ago, the first 91 days before it.
            CROSS JOIN LATERAL (SELECT @now - interval '1 hour' - ({courses} - g) * (interval '91 days' / {courses}) AS created) AS c
            CROSS JOIN LATERAL (SELECT created + interval '10 minutes' AS confirmed,
                                       CASE WHEN g % 20 < 2 THEN 'leave' WHEN g % 20 = 2 THEN 'bounce' ELSE 'stay' END AS fate,
                                       1 + g % 6 AS stop_day) AS f
            CROSS JOIN LATERAL (SELECT confirmed + (stop_day - 1) * interval '1 day' AS stop_due, confirmed + interval '6 days' AS last_due) AS t
            """, cancellationToken);
        await ExecuteAsync(connection, now, """
            INSERT INTO lessons (enrollment_id, day, due_at, state, attempts, sent_at, opened_at, machine_opened_at, clicked_at, completed_at, last_error)
            SELECT e.id, d,
                   -- A lesson not yet sent waits a day longer than its course's pace: nothing falls due while the benchmark measures.
                   CASE WHEN st = 'Scheduled' THEN due + interval '1 day' ELSE due END,
                   st, CASE WHEN st IN ('Sent', 'Failed') THEN 1 ELSE 0 END,
                   CASE WHEN st = 'Sent' THEN due + interval '1 minute' END,
                   CASE WHEN tracked AND (e.id / 3 + d) % 3 = 0 THEN least(due + interval '2 hours', @now) END,
                   CASE WHEN tracked AND (e.id + d) % 5 = 0 THEN due + interval '2 minutes' END,
                   CASE WHEN tracked AND (e.id + d) % 7 = 0 THEN least(due + interval '2 hours', @now) END,
                   CASE WHEN st = 'Sent' AND (e.completed_at IS NOT NULL OR (e.id + d) % 4 = 0) THEN least(due + interval '3 hours', @now) END,
                   CASE WHEN st = 'Failed' THEN '550 5.1.1 <address>: Recipient address rejected: User unknown' END
            FROM enrollments AS e CROSS JOIN generate_series(1, 7) AS d
            CROSS JOIN LATERAL (SELECT e.confirmed_at + (d - 1) * interval '1 day' AS due) AS x
            CROSS JOIN LATERAL (SELECT CASE
                    WHEN e.status = 'Unsubscribed' AND due > e.unsubscribed_at THEN 'Skipped'
                    WHEN e.status = 'Bounced' AND due > e.bounced_at THEN 'Skipped'
                    WHEN e.status = 'Bounced' AND due > e.bounced_at - interval '1 hour' THEN 'Failed'
                    WHEN due <= @now THEN 'Sent' ELSE 'Scheduled' END AS st) AS s
            CROSS JOIN LATERAL (SELECT st = 'Sent' AND NOT e.no_tracking AS tracked) AS k
            WHERE e.confirmed_at IS NOT NULL
            """, cancellationToken);
        await ExecuteAsync(connection, now, $"""
            INSERT INTO enrollments (email, email_key, time_zone, discreet, no_tracking, status, created_at, consent_source, consent_version,
                                     confirmation_requested_at, soft_bounces)
            SELECT 'pending' || g || '@example.org', 'pending' || g || '@example.org', 'Europe/Paris', g % 7 = 0, g % 3 <> 0, 'Pending',
                   @now - g * (interval '1 hour' / {Math.Max(1, courses / 100)}), 'api', 'bench', @now, 0
            FROM generate_series(1, {courses / 100}) AS g
            """, cancellationToken);
        // A live list is vacuumed and analysed as it grows; without this, autovacuum's first pass over the
        // seven million new rows runs while the benchmark measures.
        foreach (var table in new[] { "enrollments", "lessons", "overview_counts", "activity_counts", "enrollment_stats" })
        {
            await ExecuteAsync(connection, null, $"VACUUM (ANALYZE) {table}", cancellationToken);
        }
        await using var count = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM enrollments), (SELECT count(*) FROM enrollments WHERE confirmed_at IS NOT NULL),
                   (SELECT count(*) FROM enrollments WHERE status = 'Finished'),
                   (SELECT count(*) FROM lessons WHERE day = 7 AND state = 'Sent'), (SELECT count(*) FROM lessons)
            """, connection) { CommandTimeout = 0 };
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SeededList(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, DateTime? now, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        if (now is { } at)
        {
            command.Parameters.AddWithValue("now", at);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
