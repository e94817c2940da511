using System.Net;
using System.Net.Http.Json;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Bootcamp.IntegrationTests.Operations;

/// <summary>
/// PostgreSQL goes away (`pg_ctl stop -m immediate`) and comes back on the same port, as an operator's
/// database does. The class has a cluster of its own, so stopping it leaves every other test's alone.
/// </summary>
public sealed class DatabaseOutageTests(PrivatePostgresCluster own) : IClassFixture<PrivatePostgresCluster>
{
    private static readonly TimeSpan BackWithin = TimeSpan.FromSeconds(30);
    private readonly PostgresCluster _cluster = own.Cluster;

    [Fact]
    public async Task While_the_database_is_down_sign_ups_answer_503_with_retry_after_and_ready_fails_then_sign_ups_are_accepted_again()
    {
        await using var host = await StartHostAsync();
        Assert.Equal(HttpStatusCode.Accepted, await SignUpAsync(host, "before@example.org"));

        await Task.Run(_cluster.Stop);
        using var during = await host.Http.PostAsJsonAsync("/api/enrollments", new { email = "during@example.org", timeZone = "Europe/Paris" });
        var ready = await ReadyAsync(host);
        await Task.Run(_cluster.Restart);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.True(during.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {during.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(HttpStatusCode.OK, ready.Status);
        Assert.True(ready.Took < TimeSpan.FromSeconds(5), $"/health/ready took {ready.Took}");
        await Eventually.ReturnsAsync(() => SignUpAsync(host, "after@example.org"), status => status == HttpStatusCode.Accepted, BackWithin, "a sign-up to be accepted again");
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(host)).Status);
    }

    [Fact]
    public async Task An_outage_is_logged_as_one_warning_and_one_line_when_it_ends_with_no_stack_trace_per_tick()
    {
        await using var host = await StartHostAsync();
        using var logs = new FakeLoggerProvider();
        host.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);

        await Task.Run(_cluster.Stop);
        await Eventually.ReturnsAsync(() => Task.FromResult(Outage(logs).Count), count => count > 0, BackWithin, "the outage warning");
        // The outage lasts: the dispatcher ticks every 200 ms, so a stack trace per tick would show many times.
        using (var during = await host.Http.PostAsJsonAsync("/api/enrollments", new { email = "during@example.org", timeZone = "Europe/Paris" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        var duringOutage = logs.Collector.GetSnapshot();
        await Task.Run(_cluster.Restart);
        await Eventually.ReturnsAsync(() => Task.FromResult(Recovered(logs).Count), count => count > 0, BackWithin, "the line saying the database is back");

        // Hangfire's server says, with its exception, that its processes wait (its own retry backs off to 15 s).
        var ours = duringOutage.Where(r => !r.Category!.StartsWith("Hangfire.", StringComparison.Ordinal)).ToList();
        Assert.Empty(ours.Where(r => r.Exception is not null || r.Message.Contains("   at ", StringComparison.Ordinal)).Select(Describe));
        Assert.Empty(ours.Where(r => r.Level >= LogLevel.Error).Select(Describe));
        // Hangfire's own processes (worker, scheduler, ...) each say so once, however many depends on which of them
        // touched the database in those seconds; a line per tick would be fifteen or more.
        Assert.InRange(duringOutage.Count(r => r.Exception is not null), 0, 5);
        var warning = Assert.Single(Outage(logs));
        Assert.Equal(LogLevel.Warning, warning.Level);
        var back = Assert.Single(Recovered(logs));
        Assert.Equal(LogLevel.Information, back.Level);
    }

    [Fact]
    public async Task Opens_recorded_while_the_database_is_down_are_in_the_record_once_it_is_back()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await StartHostAsync(sink.Port);
        var reader = new Subscriber(host, sink, "reader@example.org");
        await reader.JoinAsync();
        var lesson = (await reader.WaitForLessonsAsync(1))[0].Message;
        var outage = host.Services.GetRequiredService<DatabaseOutage>();

        await Task.Run(_cluster.Stop);
        using (var request = new HttpRequestMessage(HttpMethod.Get, lesson.Link("/t/o/")))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)");
            using var pixel = await host.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, pixel.StatusCode);
        }
        await Eventually.ReturnsAsync(() => Task.FromResult(outage.IsDown), down => down, BackWithin, "the service to notice the outage");
        // Long enough for the recorder to try the open several times (every 250 ms, then every second) while the database is away.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Task.Run(_cluster.Restart);

        var opened = await Eventually.ReturnsAsync(
            () => host.QueryAsync(db => db.Lessons.AsNoTracking().Where(l => l.Enrollment!.EmailKey == reader.Email && l.Day == 1)
                .Select(l => new { l.OpenedAt, l.MachineOpenedAt }).SingleAsync()),
            l => l.OpenedAt is not null || l.MachineOpenedAt is not null, BackWithin, "the open to be recorded");
        Assert.True(opened.OpenedAt is not null || opened.MachineOpenedAt is not null);
    }

    private async Task<TestHost> StartHostAsync(int? smtpPort = null)
    {
        var storage = new TestStorage("Postgres", await PostgresServer.CreateDatabaseAsync(_cluster.AdminConnectionString, "outage"));
        return await TestHost.StartAsync(storage, smtpPort, "--Campaign:DayLength=1.00:00:00");
    }

    private static async Task<HttpStatusCode> SignUpAsync(TestHost host, string email)
    {
        using var response = await host.Http.PostAsJsonAsync("/api/enrollments", new { email, timeZone = "Europe/Paris" });
        return response.StatusCode;
    }

    private static async Task<(HttpStatusCode Status, TimeSpan Took)> ReadyAsync(TestHost host)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await host.Http.GetAsync("/health/ready");
        return (response.StatusCode, watch.Elapsed);
    }

    private static List<FakeLogRecord> Outage(FakeLoggerProvider logs) =>
        [.. logs.Collector.GetSnapshot().Where(r => r.Message.StartsWith("Database unreachable", StringComparison.Ordinal))];

    private static List<FakeLogRecord> Recovered(FakeLoggerProvider logs) =>
        [.. logs.Collector.GetSnapshot().Where(r => r.Message.StartsWith("Database reachable again", StringComparison.Ordinal))];

    private static string Describe(FakeLogRecord r) => $"{r.Level} {r.Category}: {r.Message} {r.Exception?.GetType().Name}";
}
