using System.Diagnostics;
using Bootcamp.IntegrationTests.Infrastructure;
using MimeKit;
using Npgsql;

namespace Bootcamp.Benchmarks.Delivery;

/// <summary>Did the host do the job, not only fast: every due lesson recorded as sent, each one delivered once.</summary>
internal static class DeliveryChecks
{
    /// <summary>
    /// Waits until every due lesson is recorded as sent (the record lags the sink by one UPDATE); returns
    /// how long after the due commit that was, or null when it never happened.
    /// </summary>
    public static async Task<TimeSpan?> WaitUntilRecordedAsync(string connectionString, DueLessonSeeder seed, Stopwatch sinceDue, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = sinceDue.Elapsed + timeout;
        while (sinceDue.Elapsed < deadline)
        {
            var states = await DueLessonStatesAsync(connectionString, seed, cancellationToken);
            if (states.GetValueOrDefault(DueLessonSeeder.Sent) == seed.Count)
            {
                return sinceDue.Elapsed;
            }
            await Task.Delay(50, cancellationToken);
        }
        return null;
    }

    public static async Task<List<string>> CheckRecordAsync(string connectionString, DueLessonSeeder seed, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var due = await DueLessonStatesAsync(connectionString, seed, cancellationToken);
        if (due.Count != 1 || due.GetValueOrDefault(DueLessonSeeder.Sent) != seed.Count)
        {
            failures.Add($"due lessons by state: {Describe(due)}; expected Sent={seed.Count}");
        }
        var others = await CountAsync(connectionString, """
            SELECT state, count(*) FROM lessons WHERE NOT (due_at > @after AND due_at <= @until) GROUP BY state
            """, seed, cancellationToken);
        if (others.GetValueOrDefault(DueLessonSeeder.Sent) != seed.HistoryLessons || others.GetValueOrDefault(DueLessonSeeder.Scheduled) != seed.FutureLessons || others.Count > 2)
        {
            failures.Add($"lessons not due by state: {Describe(others)}; expected Sent={seed.HistoryLessons} Scheduled={seed.FutureLessons} (untouched)");
        }
        var enrollments = await CountAsync(connectionString, "SELECT status, count(*) FROM enrollments GROUP BY status", seed, cancellationToken);
        if (enrollments.GetValueOrDefault("Finished") != seed.LastLessons || enrollments.GetValueOrDefault("Active") != seed.Count - seed.LastLessons)
        {
            failures.Add($"enrollments by status: {Describe(enrollments)}; expected Finished={seed.LastLessons} (seventh lesson sent) Active={seed.Count - seed.LastLessons}");
        }
        return failures;
    }

    /// <summary>Exactly one message per due lesson: no loss, no duplicate Message-ID, each seeded reader once.</summary>
    public static List<string> CheckReceived(IReadOnlyList<ReceivedMail> received, DueLessonSeeder seed)
    {
        var failures = new List<string>();
        if (received.Count != seed.Count)
        {
            failures.Add($"the sink received {received.Count} messages; expected {seed.Count}");
        }
        var messageIds = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        var missingIds = 0;
        foreach (var mail in received)
        {
            // Headers only: parsing 20,000 whole messages would cost more than the check is worth.
            var headers = HeaderList.Load(new MemoryStream(mail.Raw.ToArray(), writable: false));
            if (headers[HeaderId.MessageId] is not { } id)
            {
                missingIds++;
            }
            else if (!messageIds.Add(id))
            {
                duplicates++;
            }
        }
        if (duplicates > 0 || missingIds > 0)
        {
            failures.Add($"{duplicates} duplicate Message-IDs and {missingIds} messages without one");
        }
        var recipients = received.SelectMany(m => m.Recipients).ToList();
        var distinct = recipients.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (recipients.Count != distinct.Count || !distinct.SetEquals(seed.Addresses))
        {
            failures.Add($"recipients: {recipients.Count} in all, {distinct.Count} distinct, {distinct.Count(a => !seed.Addresses.Contains(a))} not seeded, {seed.Addresses.Count(a => !distinct.Contains(a))} seeded ones missing");
        }
        return failures;
    }

    private static Task<Dictionary<string, long>> DueLessonStatesAsync(string connectionString, DueLessonSeeder seed, CancellationToken cancellationToken) =>
        CountAsync(connectionString, "SELECT state, count(*) FROM lessons WHERE due_at > @after AND due_at <= @until GROUP BY state", seed, cancellationToken);

    private static async Task<Dictionary<string, long>> CountAsync(string connectionString, string sql, DueLessonSeeder seed, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        if (sql.Contains("@after", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("after", seed.DueAfter);
            command.Parameters.AddWithValue("until", seed.DueUntil);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    private static string Describe(Dictionary<string, long> counts) =>
        counts.Count == 0 ? "none" : string.Join(' ', counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"));
}
