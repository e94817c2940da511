using System.Net;
using System.Text.Json;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Bootcamp.Persistence;
using Bootcamp.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Bootcamp.IntegrationTests.Tracking;

/// <summary>
/// Link scanners that dress as browsers: only fetching every link of a lesson on delivery gives them
/// away. Lessons go out a second apart (the test host's default), so lessons 1–4 arrive within seconds
/// and every fetch here falls inside their burst window.
/// </summary>
public sealed class ScannerBurstTests
{
    private const string Browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Every_link_of_a_lesson_fetched_on_delivery_is_taken_back_while_a_readers_single_click_counts_at_once(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port);
        var reader = new Subscriber(host, sink, $"scanned-{provider.ToLowerInvariant()}@example.org");
        await reader.JoinAsync();
        var lessons = await reader.WaitForLessonsAsync(4);
        using var admin = await AdminClient.SignInAsync(host);
        Assert.Equal(1, await LinkCountAsync(host, reader, 1));
        Assert.Equal(2, await LinkCountAsync(host, reader, 3));
        Assert.Equal(2, await LinkCountAsync(host, reader, 4));

        // The scanner's first request looks like a reader's click, and counts as one at once.
        var scanned = Lesson(lessons, 3);
        var everyLink = scanned.Message.LinksInEveryPart("/t/c/");
        await ClickAsync(host, everyLink[0]);
        Assert.Equal((1, 1), await ClickedAndOpenedAsync(admin, 3));
        // The rest of its requests, all at once, reach every link of the lesson: none of it was a reader.
        await Task.WhenAll(everyLink.Skip(1).Select(url => ClickAsync(host, url)));
        // A reader clicks one of lesson 4's two links on arrival, and lesson 1's only link.
        await ClickAsync(host, Lesson(lessons, 4).Message.Links("/t/c/")[0]);
        await ClickAsync(host, Lesson(lessons, 1).Message.LinksInEveryPart("/t/c/")[0]);
        AssertStillInsideTheWindow(Lesson(lessons, 1));

        Assert.Equal((0, 0), await ClickedAndOpenedAsync(admin, 3));
        Assert.Equal((1, 1), await ClickedAndOpenedAsync(admin, 4));
        Assert.Equal((1, 1), await ClickedAndOpenedAsync(admin, 1));
        var detail = await LessonDetailsAsync(admin, reader);
        Assert.Equal(JsonValueKind.Null, detail[3].GetProperty("clickedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, detail[3].GetProperty("openedAt").ValueKind);
        Assert.Equal(JsonValueKind.String, detail[4].GetProperty("clickedAt").ValueKind);
        Assert.Equal(JsonValueKind.String, detail[1].GetProperty("clickedAt").ValueKind);
        var kinds = await EventKindsAsync(host, reader, 3);
        Assert.DoesNotContain(kinds, k => k.StartsWith(ClickKinds.Counted, StringComparison.Ordinal));
        // Each link was fetched from both parts; the record keeps one event per link and verdict.
        Assert.Equal([ClickKinds.Of(ClickKinds.Burst, 0), ClickKinds.Of(ClickKinds.Burst, 1)], kinds.Order());
    }

    [Fact]
    public async Task A_scanner_whose_requests_land_on_two_processes_at_the_same_moment_is_still_caught()
    {
        await using var sink = await SmtpSink.StartAsync();
        var storage = await TestStorage.CreateAsync("Postgres");
        await using var first = await TestHost.StartAsync(storage, sink.Port);
        await using var second = await TestHost.StartAsync(storage, sink.Port);
        var readers = Enumerable.Range(0, 6).Select(i => new Subscriber(first, sink, $"raced-{i}@example.org")).ToList();
        await Task.WhenAll(readers.Select(r => r.JoinAsync()));
        var lessons = await Task.WhenAll(readers.Select(r => r.WaitForLessonsAsync(3)));

        // Each lesson's two links at the same moment, one through each process, for every reader at once.
        await Task.WhenAll(lessons.Select(mails => Lesson(mails, 3).Message.Links("/t/c/")).SelectMany(links => new[]
        {
            ClickAsync(first, links[0]),
            ClickAsync(second, links[1].Replace(first.BaseUrl, second.BaseUrl, StringComparison.Ordinal)),
        }));
        foreach (var mails in lessons)
        {
            AssertStillInsideTheWindow(Lesson(mails, 3));
        }

        using var admin = await AdminClient.SignInAsync(first);
        Assert.Equal((0, 0), await ClickedAndOpenedAsync(admin, 3));
        foreach (var reader in readers)
        {
            Assert.Equal(JsonValueKind.Null, (await LessonDetailsAsync(admin, reader))[3].GetProperty("clickedAt").ValueKind);
        }
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_readers_clicks_outside_the_window_before_or_after_a_burst_stay_counted(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port);
        var reader = new Subscriber(host, sink, $"outside-{provider.ToLowerInvariant()}@example.org");
        await reader.JoinAsync();
        await reader.WaitForLessonsAsync(4);
        var ids = await host.QueryAsync(db => db.Lessons.Where(l => l.Enrollment!.EmailKey == reader.Email).ToDictionaryAsync(l => l.Day, l => l.Id));
        using var admin = await AdminClient.SignInAsync(host);
        // The store on the real database, on a clock the test turns.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        Task ClickAsync(int day, int link, DateTimeOffset builtAt) => host.InScopeAsync<BootcampDb, bool>(async db =>
        {
            await new TrackingStore(db, clock, new ScannerBurstRule(clock)).RecordClickAsync(ids[day], link, 2, builtAt, counted: true, CancellationToken.None);
            return true;
        });
        Task<DateTime?> ClickedAtAsync(int day) => host.QueryAsync(db => db.Lessons.Where(l => l.Id == ids[day]).Select(l => l.ClickedAt).SingleAsync());

        // Lesson 3: read ten minutes after it was built; built again later (a resend) and scanned on arrival.
        var firstBuild = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(10));
        var readAt = clock.GetUtcNow().UtcDateTime;
        await ClickAsync(3, 0, firstBuild);
        var resent = firstBuild.AddMinutes(30);
        clock.SetUtcNow(resent.AddSeconds(2));
        await ClickAsync(3, 0, resent);
        clock.Advance(TimeSpan.FromSeconds(1));
        await ClickAsync(3, 1, resent);

        // Lesson 4: scanned on arrival, then read just after the window.
        var built = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(1));
        await ClickAsync(4, 0, built);
        await ClickAsync(4, 1, built);
        Assert.Null(await ClickedAtAsync(4));
        clock.SetUtcNow(built + ScannerBurstRule.Window + TimeSpan.FromSeconds(1));
        await ClickAsync(4, 1, built);

        Assert.Equal(readAt, await ClickedAtAsync(3));
        Assert.Equal(clock.GetUtcNow().UtcDateTime, await ClickedAtAsync(4));
        Assert.Equal((1, 1), await ClickedAndOpenedAsync(admin, 3));
        Assert.Equal((1, 1), await ClickedAndOpenedAsync(admin, 4));
    }

    private static ReceivedMail Lesson(IReadOnlyList<ReceivedMail> lessons, int day) => lessons.Single(m => m.Day() == day);

    private static async Task ClickAsync(TestHost host, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", Browser);
        using var response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
    }

    /// <summary>The tests mean "on delivery"; a machine so slow that they weren't would make them prove nothing.</summary>
    private static void AssertStillInsideTheWindow(ReceivedMail mail) =>
        Assert.True(DateTimeOffset.UtcNow - mail.ReceivedAt < ScannerBurstRule.Window - TimeSpan.FromSeconds(10),
            $"the links of \"{mail.Message.Subject}\" were fetched too long after delivery for this test to mean anything");

    private static async Task<(int Clicked, int Opened)> ClickedAndOpenedAsync(HttpClient admin, int day)
    {
        using var stats = JsonDocument.Parse(await admin.GetStringAsync("/admin/api/stats"));
        var lesson = stats.RootElement.GetProperty("lessons").EnumerateArray().Single(d => d.GetProperty("day").GetInt32() == day);
        return (lesson.GetProperty("clicked").GetInt32(), lesson.GetProperty("opened").GetInt32());
    }

    private static async Task<Dictionary<int, JsonElement>> LessonDetailsAsync(HttpClient admin, Subscriber reader)
    {
        var json = await admin.GetStringAsync($"/admin/api/enrollments?email={Uri.EscapeDataString(reader.Email)}");
        return JsonDocument.Parse(json).RootElement.GetProperty("lessons").EnumerateArray()
            .ToDictionary(l => l.GetProperty("day").GetInt32(), l => l.Clone());
    }

    private static Task<int> LinkCountAsync(TestHost host, Subscriber reader, int day) =>
        host.QueryAsync(async db => (await db.Lessons.Where(l => l.Enrollment!.EmailKey == reader.Email && l.Day == day).Select(l => l.Links).SingleAsync())!.Split('\n').Length);

    private static Task<List<string>> EventKindsAsync(TestHost host, Subscriber reader, int day) =>
        host.QueryAsync(db => db.Events.Where(e => db.Lessons.Any(l => l.Id == e.LessonId && l.Enrollment!.EmailKey == reader.Email && l.Day == day))
            .Select(e => e.Kind).ToListAsync());
}
