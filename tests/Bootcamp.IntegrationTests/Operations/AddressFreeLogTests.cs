using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Campaign;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Testing;

namespace Bootcamp.IntegrationTests.Operations;

/// <summary>What an operator's log keeps of readers: ids, never an address, even when a mail server quotes one.</summary>
public sealed class AddressFreeLogTests
{
    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_whole_course_with_a_deferral_and_a_rejection_quoting_the_address_logs_no_address(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        using var logs = new FakeLoggerProvider();
        var ann = $"ann-{provider.ToLowerInvariant()}@example.org";
        var bob = $"bob-{provider.ToLowerInvariant()}@example.org";
        await using (var host = await TestHost.StartLoggingToAsync(logs, await TestStorage.CreateAsync(provider), sink.Port,
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Hangfire=Information"))
        {
            var reader = new Subscriber(host, sink, ann);
            await reader.SignUpAsync();
            var confirmation = await reader.WaitForConfirmationAsync();
            // Lesson 1 is deferred once by a reply quoting the address, as Postfix words it.
            sink.FailNext(ann, 1, 451, "4.2.0", $"<{ann}>: Recipient address rejected: mailbox busy");
            using (var confirmed = await host.Http.PostAsync(confirmation.Message.Link("/confirm/"), content: null))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, confirmed.StatusCode);
            }
            sink.RejectRecipient(bob, 550, "5.1.1", $"<{bob}>: Recipient address rejected: User unknown");
            await new Subscriber(host, sink, bob).SignUpAsync();

            await reader.WaitForLessonsAsync(Domain.Campaign.LessonCount);
            await SevenDayCampaignTests.WaitUntilNothingIsLeftToSendAsync(host);
            await Eventually.ReturnsAsync(() => host.QueryAsync(db => db.Enrollments.Where(e => e.EmailKey == bob).Select(e => (EnrollmentStatus?)e.Status).FirstOrDefaultAsync()),
                status => status == EnrollmentStatus.Bounced, what: "the rejected reader's enrollment to bounce");
            await host.WaitUntilJobsAreDoneAsync();
        }

        var records = logs.Collector.GetSnapshot();
        // The replies were logged (so this looks at the lines that used to quote them), with the address taken out.
        Assert.Contains(records, r => r.Message.Contains("deferred", StringComparison.Ordinal) && r.Message.Contains(Redaction.Address, StringComparison.Ordinal));
        Assert.Contains(records, r => r.Message.Contains("refused", StringComparison.Ordinal) && r.Message.Contains(Redaction.Address, StringComparison.Ordinal));
        var leaks = records
            .Select(r => string.Join(" | ", new[] { $"{r.Level} {r.Category}: {r.Message}", r.Exception?.ToString() }
                .Concat(StateValues(r.State))))
            .Where(line => line.Contains(ann, StringComparison.OrdinalIgnoreCase) || line.Contains(bob, StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.Empty(leaks);
    }

    /// <summary>Every value a structured logger would store as a field (some states are plain strings).</summary>
    private static IEnumerable<string?> StateValues(object? state) => state switch
    {
        IEnumerable<KeyValuePair<string, object?>> fields => fields.Select(kv => $"{kv.Key}={kv.Value}"),
        IEnumerable<KeyValuePair<string, string?>> fields => fields.Select(kv => $"{kv.Key}={kv.Value}"),
        _ => [state?.ToString() ?? string.Empty],
    };
}
