using Npgsql;

namespace Bootcamp.IntegrationTests.Faults;

/// <summary>
/// Confirmed readers written straight into the record, each with its seven lessons scheduled one course day
/// apart from <c>firstDue</c>: a burst of <c>readers</c> × 7 lessons, in two statements, with no sign-up traffic.
/// </summary>
internal static class ChaosCourses
{
    public const string Domain = "chaos.example";

    public static string Reader(long n) => $"reader{n}@{Domain}";

    public static async Task SeedAsync(string connectionString, int readers, DateTime firstDue, TimeSpan dayLength)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var seed = new NpgsqlCommand($"""
            INSERT INTO enrollments (email, email_key, first_name, time_zone, discreet, no_tracking, status, created_at,
                                     consent_source, consent_version, confirmation_requested_at, confirmation_sent_at, confirmed_at, soft_bounces)
            SELECT 'reader' || n || '@{Domain}', 'reader' || n || '@{Domain}', 'Sam', 'Europe/Paris', false, true, 'Active', @now,
                   'api', '2026-11-1', @now, @now, @now, 0
            FROM generate_series(1, @readers) AS n;
            INSERT INTO lessons (enrollment_id, day, due_at, state, attempts)
            SELECT e.id, d, @first + (d - 1) * @day, 'Scheduled', 0
            FROM enrollments AS e CROSS JOIN generate_series(1, 7) AS d
            WHERE e.email LIKE '%@{Domain}';
            """, connection);
        seed.Parameters.AddWithValue("now", firstDue);
        seed.Parameters.AddWithValue("readers", readers);
        seed.Parameters.AddWithValue("first", firstDue);
        seed.Parameters.AddWithValue("day", dayLength);
        await seed.ExecuteNonQueryAsync();
    }
}
