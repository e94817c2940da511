using System.Net;
using System.Text.Json;
using Bootcamp.IntegrationTests.Bounces;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>
/// The overview's "is mail going out?" panel with something of every kind to count: a lesson due and stuck behind a
/// retry, a 4xx deferral, a 5xx failure, a policy refusal (the sink's answers), a bounce report and a complaint
/// (in a real Dovecot mailbox the host polls).
/// </summary>
public sealed class DeliveryHealthTests : IAsyncLifetime
{
    private SmtpSink _sink = null!;
    private DovecotServer _imap = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        _imap = await DovecotServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _imap.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Delivery_health_counts_each_kind_of_failure_of_the_last_day_and_the_oldest_lesson_due(string provider)
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), _sink.Port,
            "--Campaign:DayLength=1.00:00:00",
            // A deferred lesson waits an hour for its next try: it stays deferred for the whole test.
            "--Delivery:RetryDelays=01:00:00",
            "--Bounces:Imap:Host=127.0.0.1", $"--Bounces:Imap:Port={_imap.Port}", "--Bounces:Imap:Security=None",
            $"--Bounces:Imap:UserName={DovecotServer.UserName}", $"--Bounces:Imap:Password={DovecotServer.Password}",
            "--Bounces:PollInterval=00:00:00.5", "--Bounces:ReturnPathTemplate=bounces+{id}@example.org");
        var names = new[] { "ok", "busy", "full", "policy", "gone", "annoyed" };
        var readers = names.ToDictionary(n => n, n => new Subscriber(host, _sink, $"{n}-{provider}@example.net"));
        var confirmations = new Dictionary<string, string>();
        foreach (var (name, reader) in readers)
        {
            await reader.SignUpAsync();
            confirmations[name] = (await reader.WaitForConfirmationAsync()).Message.Link("/confirm/");
        }
        _sink.FailNext(readers["busy"].Email, 1, 451, "4.2.0", "Mailbox busy, try again later");
        _sink.RejectRecipient(readers["full"].Email, 552, "5.2.2", "Mailbox full");
        _sink.RejectRecipient(readers["policy"].Email, 550, "5.7.1", "Message rejected by policy");
        foreach (var url in confirmations.Values)
        {
            using var confirmed = await host.Http.PostAsync(url, null);
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        var goneLesson = (await readers["gone"].WaitForLessonsAsync(1))[0];
        var annoyedLesson = (await readers["annoyed"].WaitForLessonsAsync(1))[0];
        await readers["ok"].WaitForLessonsAsync(1);
        await _imap.AppendAsync(BounceReports.Dsn(goneLesson, to: goneLesson.Sender!, action: "failed", status: "5.1.1", "550 5.1.1 Recipient address rejected: User unknown"));
        await _imap.AppendAsync(BounceReports.Complaint(annoyedLesson));
        using var admin = await AdminClient.SignInAsync(host);
        await Eventually.ReturnsAsync(() => admin.GetStringAsync("/admin/api/overview"),
            json => FailureCounts(json).All(count => count > 0), TimeSpan.FromSeconds(60), "a failure of every kind to be counted");
        // A day later for the busy reader's Day 2: its hour has come, but Day 1 still waits for its retry, so Day 2 waits too.
        var dueAt = DateTime.UtcNow.AddMinutes(-10);
        await host.QueryAsync(db => db.Lessons.Where(l => l.Enrollment!.Email == readers["busy"].Email && l.Day == 2)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.DueAt, dueAt)));

        using var overview = JsonDocument.Parse(await admin.GetStringAsync("/admin/api/overview"));
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin"));

        var delivery = overview.RootElement.GetProperty("delivery");
        Assert.Equal([1, 1, 1, 1, 1], FailureCounts(overview.RootElement.GetRawText()));
        Assert.Equal(1, delivery.GetProperty("dueNow").GetInt64());
        Assert.Equal(0, delivery.GetProperty("inFlight").GetInt64());
        Assert.Equal(dueAt, delivery.GetProperty("oldestDueAt").GetDateTime().ToUniversalTime(), TimeSpan.FromSeconds(1));
        var age = TimeSpan.Parse(delivery.GetProperty("oldestDueAge").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(age, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(12));
        // Day 1 of ok, gone and annoyed was accepted (a bounce report afterwards does not make it unsent).
        Assert.Equal(3, delivery.GetProperty("sentLast24h").GetInt64());
        // The hard bounce and the complaint; a full mailbox or our own policy trouble suppresses nobody.
        Assert.Equal(2, delivery.GetProperty("suppressions").GetInt64());
        Assert.Contains("<dt>Due now</dt><dd>1</dd>", page);
        Assert.Contains("<dt>Oldest due, not sent</dt><dd>10 min", page);
        Assert.Contains("<td>1</td><td>1</td><td>1</td><td>1</td><td>1</td>", page);
    }

    /// <summary>4xx, 5xx, bounce, complaint, policy: the overview's failures of the last 24 hours.</summary>
    private static long[] FailureCounts(string json)
    {
        var failed = JsonDocument.Parse(json).RootElement.GetProperty("delivery").GetProperty("failedLast24h");
        return [.. new[] { "deferred4xx", "failed5xx", "bounced", "complaints", "policy" }.Select(kind => failed.GetProperty(kind).GetInt64())];
    }
}
