using System.Net;
using System.Text.Json;
using Bootcamp.IntegrationTests.Campaign;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Webhooks;

/// <summary>An integrator's endpoint receives the course's events, signed, in order, at least once, retried under the same id.</summary>
public sealed class WebhookTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static string[] Endpoint(WebhookReceiver receiver, string events = "") =>
    [
        $"--Webhooks:Endpoints:0:Url={receiver.Url}",
        $"--Webhooks:Endpoints:0:Secret={Secret}",
        $"--Webhooks:Endpoints:0:Events={events}",
        "--Webhooks:RetryDelays=00:00:00.300,00:00:00.300,00:00:00.300",
        "--Webhooks:DispatchInterval=00:00:00.200",
    ];

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_whole_course_arrives_signed_in_order_and_a_failed_attempt_is_retried_under_the_same_id(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        // The endpoint exists before the course starts: it hears everything from then on.
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, Endpoint(receiver));
        await Eventually.ReturnsAsync(() => host.QueryAsync(db => db.WebhookCursors.CountAsync()), n => n == 1, what: "the endpoint's cursor");
        receiver.FailNext(1);
        var reader = new Subscriber(host, sink, $"hooks-{provider}@example.org");

        await reader.JoinAsync();
        var lessons = await reader.WaitForLessonsAsync(Domain.Campaign.LessonCount);
        using (var done = await host.Http.PostAsync(lessons[0].Message.Link("/d/"), null))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }
        await SevenDayCampaignTests.WaitUntilNothingIsLeftToSendAsync(host);
        var accepted = await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Accepted), a => a.Count >= 10, what: "ten events accepted");

        var enrollmentId = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Id).SingleAsync());
        Assert.Equal(
            ["enrollment.confirmed", "lesson.sent:1", "lesson.sent:2", "lesson.sent:3", "lesson.sent:4", "lesson.sent:5", "lesson.sent:6", "lesson.sent:7"],
            accepted.Select(Describe).Where(e => e.StartsWith("enrollment.confirmed", StringComparison.Ordinal) || e.StartsWith("lesson.sent", StringComparison.Ordinal)));
        Assert.Contains("lesson.completed:1", accepted.Select(Describe));
        Assert.Equal("enrollment.finished", accepted.Select(Describe).Last(e => !e.StartsWith("lesson.completed", StringComparison.Ordinal)));
        // Ids rise with the events, so "in order" is what arrived: every id once.
        Assert.Equal(accepted.Select(r => r.Id).Distinct().Count(), accepted.Count);
        foreach (var request in receiver.Received)
        {
            Assert.True(StandardWebhooksVerifier.Verify(Secret, request.Id, request.Timestamp, request.Body, request.Signature, DateTimeOffset.UtcNow), $"bad signature on {request.Id}");
            Assert.DoesNotContain("hooks-", request.Body);
            Assert.DoesNotContain("Sam", request.Body);
            using var body = JsonDocument.Parse(request.Body);
            Assert.Equal(enrollmentId, body.RootElement.GetProperty("data").GetProperty("enrollmentId").GetInt64());
            Assert.True(DateTimeOffset.TryParse(body.RootElement.GetProperty("timestamp").GetString(), out _));
        }
        var failed = Assert.Single(receiver.Received, r => r.Status == 500);
        Assert.Single(accepted, r => r.Id == failed.Id && r.Body == failed.Body);
    }

    [Fact]
    public async Task Two_hosts_on_one_database_deliver_each_event_once_and_only_the_chosen_events()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var storage = await TestStorage.CreateAsync("Postgres");
        string[] settings = [.. Endpoint(receiver, "enrollment.confirmed, lesson.sent")];
        await using var first = await TestHost.StartAsync(storage, sink.Port, settings);
        await using var second = await TestHost.StartAsync(storage, sink.Port, settings);
        await Eventually.ReturnsAsync(() => first.QueryAsync(db => db.WebhookCursors.CountAsync()), n => n == 1, what: "the endpoint's cursor");
        var readers = Enumerable.Range(0, 4).Select(i => new Subscriber(i % 2 == 0 ? first : second, sink, $"two-hosts-{i}@example.org")).ToList();

        await Task.WhenAll(readers.Select(r => r.JoinAsync()));
        await Task.WhenAll(readers.Select(r => r.WaitForLessonsAsync(Domain.Campaign.LessonCount)));
        await SevenDayCampaignTests.WaitUntilNothingIsLeftToSendAsync(first);
        var accepted = await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Accepted), a => a.Count >= 4 * 8, what: "every chosen event");
        await Eventually.ReturnsAsync(() => first.QueryAsync(db => db.WebhookDeliveries.CountAsync(d => d.State != Persistence.WebhookState.Delivered)), n => n == 0,
            what: "no delivery left to make");

        Assert.Equal(4 * 8, receiver.Received.Count);
        Assert.Equal(4 * 8, accepted.Select(r => r.Id).Distinct().Count());
        Assert.All(accepted, r => Assert.Matches("enrollment.confirmed|lesson.sent", Describe(r)));
        foreach (var perEnrollment in accepted.GroupBy(r => EnrollmentOf(r)))
        {
            Assert.Equal(["enrollment.confirmed", .. Enumerable.Range(1, 7).Select(d => $"lesson.sent:{d}")], perEnrollment.Select(Describe));
        }
    }

    private static string Describe(ReceivedWebhook request)
    {
        using var body = JsonDocument.Parse(request.Body);
        var type = body.RootElement.GetProperty("type").GetString();
        return body.RootElement.GetProperty("data").TryGetProperty("day", out var day) ? $"{type}:{day.GetInt32()}" : type!;
    }

    private static long EnrollmentOf(ReceivedWebhook request)
    {
        using var body = JsonDocument.Parse(request.Body);
        return body.RootElement.GetProperty("data").GetProperty("enrollmentId").GetInt64();
    }
}
