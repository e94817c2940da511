using System.Net;
using System.Net.Http.Headers;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Tracking;

/// <summary>The links in a lesson, followed the way mail clients, providers and readers follow them.</summary>
public sealed class SubscriberLinkTests : IAsyncLifetime
{
    private const string Browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)";
    private SmtpSink _sink = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        // A long day: the reader holds lesson 1 and the rest wait, so each test controls what happens next.
        _host = await TestHost.StartAsync(await TestStorage.CreateAsync("Postgres"), _sink.Port, "--Campaign:DayLength=1.00:00:00");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private async Task<(Subscriber Reader, MimeKit.MimeMessage Lesson)> FirstLessonAsync(string email, bool noTracking = false)
    {
        var reader = new Subscriber(_host, _sink, email);
        await reader.JoinAsync(noTracking: noTracking);
        return (reader, (await reader.WaitForLessonsAsync(1))[0].Message);
    }

    [Theory]
    [InlineData("urlencoded")]
    [InlineData("multipart")]
    public async Task A_one_click_unsubscribe_post_without_cookies_answers_200_and_stops_the_course(string encoding)
    {
        var (reader, lesson) = await FirstLessonAsync($"one-click-{encoding}@example.org");
        var target = lesson.Headers["List-Unsubscribe"]!.Trim('<', '>');
        HttpContent body = encoding == "urlencoded"
            ? new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])
            : new MultipartFormDataContent { { new StringContent("One-Click"), "List-Unsubscribe" } };

        using var first = await _host.Http.PostAsync(target, body);
        using var again = await _host.Http.PostAsync(target, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Null(first.Headers.Location);
        var enrollment = await _host.QueryAsync(db => db.Enrollments.Include(e => e.Lessons).SingleAsync(e => e.EmailKey == reader.Email));
        Assert.Equal(EnrollmentStatus.Unsubscribed, enrollment.Status);
        Assert.NotNull(enrollment.UnsubscribedAt);
        Assert.All(enrollment.Lessons.Where(l => l.Day > 1), l => Assert.Equal(LessonState.Skipped, l.State));
    }

    [Fact]
    public async Task Unsubscribing_mid_course_means_no_further_lesson_arrives()
    {
        var (reader, lesson) = await FirstLessonAsync("mid-course@example.org");
        using (var response = await _host.Http.PostAsync(lesson.Link("/u/"), null))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        // Make every remaining lesson due now: were the unsubscribe ignored, they would all go out.
        await _host.QueryAsync(db => db.Lessons.Where(l => l.Day > 1).ExecuteUpdateAsync(s => s.SetProperty(l => l.DueAt, DateTime.UtcNow.AddDays(-1))));
        await _host.InScopeAsync<Bootcamp.Lessons.DispatchDueLessonsJob, int>(job => job.DispatchAsync(CancellationToken.None));

        // Nothing more can come once no lesson waits to be sent and the jobs the dispatch enqueued have run.
        await Eventually.ReturnsAsync(() => _host.QueryAsync(db => db.Lessons.CountAsync(l => l.Enrollment!.EmailKey == reader.Email
            && (l.State == LessonState.Scheduled || l.State == LessonState.Claimed || l.State == LessonState.Sending))), waiting => waiting == 0,
            what: "no lesson of the unsubscribed reader left to send");
        await _host.WaitUntilJobsAreDoneAsync();
        Assert.Single(reader.Lessons);
    }

    [Fact]
    public async Task The_unsubscribe_page_changes_nothing_on_get()
    {
        var (reader, lesson) = await FirstLessonAsync("look-only@example.org");
        using var response = await _host.Http.GetAsync(lesson.Link("/u/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<form method=\"post\"", await response.Content.ReadAsStringAsync());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal(EnrollmentStatus.Active, await _host.QueryAsync(db => db.Enrollments.Where(e => e.EmailKey == reader.Email).Select(e => e.Status).SingleAsync()));
    }

    [Fact]
    public async Task The_open_pixel_is_a_gif_that_is_never_cached_and_records_a_human_open()
    {
        var (reader, lesson) = await FirstLessonAsync("opens@example.org");

        using var response = await FetchPixelAsync(HttpMethod.Get, lesson.Link("/t/o/"), Browser);

        AssertIsThePixelsAnswer(response);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("GIF89a"u8.ToArray(), bytes[..6]);
        var opened = await Eventually.ReturnsAsync(() => DayOneAsync(reader), l => l.OpenedAt is not null);
        Assert.NotNull(opened.OpenedAt);
    }

    [Fact]
    public async Task Apple_privacy_fetches_count_as_machine_opens_not_reads()
    {
        var (reader, lesson) = await FirstLessonAsync("apple@example.org");
        using var response = await FetchPixelAsync(HttpMethod.Get, lesson.Link("/t/o/"), "Mozilla/5.0");

        var lessonRow = await Eventually.ReturnsAsync(() => DayOneAsync(reader), l => l.MachineOpenedAt is not null);
        Assert.Null(lessonRow.OpenedAt);
    }

    [Fact]
    public async Task A_head_request_on_the_pixel_gets_the_gifs_headers_without_a_body_and_is_not_counted()
    {
        var (reader, lesson) = await FirstLessonAsync("pixel-head@example.org");
        var pixel = lesson.Link("/t/o/");

        using var head = await FetchPixelAsync(HttpMethod.Head, pixel, Browser);
        // Opens are written in order: once a later machine open is in, a counted HEAD would have been too.
        using var proxy = await FetchPixelAsync(HttpMethod.Get, pixel, "Mozilla/5.0");

        AssertIsThePixelsAnswer(head);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal((await proxy.Content.ReadAsByteArrayAsync()).Length, head.Content.Headers.ContentLength);
        var lessonRow = await Eventually.ReturnsAsync(() => DayOneAsync(reader), l => l.MachineOpenedAt is not null);
        Assert.Null(lessonRow.OpenedAt);
    }

    [Fact]
    public async Task An_altered_or_unknown_pixel_token_still_gets_the_gif()
    {
        var (_, lesson) = await FirstLessonAsync("pixel-tampered@example.org");
        var pixel = lesson.Link("/t/o/");
        var tampered = pixel[..^3] + (pixel[^3] == 'A' ? "B" : "A") + pixel[^2..];

        foreach (var url in (string[])[tampered, "/t/o/not-a-token"])
        {
            using var response = await FetchPixelAsync(HttpMethod.Get, url, Browser);
            AssertIsThePixelsAnswer(response);
            Assert.Equal("GIF89a"u8.ToArray(), (await response.Content.ReadAsByteArrayAsync())[..6]);
        }
    }

    private async Task<HttpResponseMessage> FetchPixelAsync(HttpMethod method, string pixel, string agent)
    {
        using var request = new HttpRequestMessage(method, pixel);
        request.Headers.TryAddWithoutValidation("User-Agent", agent);
        return await _host.Http.SendAsync(request);
    }

    private static void AssertIsThePixelsAnswer(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/gif", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private Task<LessonRecord> DayOneAsync(Subscriber reader) =>
        _host.QueryAsync(db => db.Lessons.SingleAsync(l => l.Enrollment!.EmailKey == reader.Email && l.Day == 1));

    [Fact]
    public async Task A_content_link_redirects_to_the_stored_link_and_a_tampered_one_is_a_404_without_location()
    {
        var (reader, lesson) = await FirstLessonAsync("clicks@example.org");
        var tracked = lesson.Links("/t/c/");
        Assert.NotEmpty(tracked);
        var stored = await _host.QueryAsync(db => db.Lessons.Where(l => l.Enrollment!.EmailKey == reader.Email && l.Day == 1).Select(l => l.Links).SingleAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, tracked[0]);
        request.Headers.UserAgent.ParseAdd(Browser);
        using var click = await _host.Http.SendAsync(request);
        var tampered = tracked[0][..^3] + (tracked[0][^3] == 'A' ? "B" : "A") + tracked[0][^2..];
        using var bad = await _host.Http.GetAsync(tampered);
        using var unknown = await _host.Http.GetAsync("/t/c/not-a-token");

        Assert.Equal(HttpStatusCode.Found, click.StatusCode);
        Assert.Equal(stored!.Split('\n')[0], click.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        Assert.Null(bad.Headers.Location);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var clicked = await _host.QueryAsync(db => db.Lessons.Where(l => l.Enrollment!.EmailKey == reader.Email && l.Day == 1).Select(l => new { l.ClickedAt, l.OpenedAt }).SingleAsync());
        Assert.NotNull(clicked.ClickedAt);
        Assert.NotNull(clicked.OpenedAt);
    }

    [Fact]
    public async Task A_head_request_on_a_link_is_not_counted_as_a_click()
    {
        var (reader, lesson) = await FirstLessonAsync("scanner@example.org");
        using var head = await _host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, lesson.Links("/t/c/")[0]));

        Assert.Equal(HttpStatusCode.Found, head.StatusCode);
        Assert.Null(await _host.QueryAsync(db => db.Lessons.Where(l => l.Enrollment!.EmailKey == reader.Email && l.Day == 1).Select(l => l.ClickedAt).SingleAsync()));
    }

    [Fact]
    public async Task The_done_page_records_the_step_only_on_post()
    {
        var (reader, lesson) = await FirstLessonAsync("done@example.org");
        var done = lesson.Link("/d/");
        using var page = await _host.Http.GetAsync(done);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Null(await CompletedAtAsync(reader));

        using var post = await _host.Http.PostAsync(done, null);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.NotNull(await CompletedAtAsync(reader));
    }

    [Fact]
    public async Task A_reader_who_opted_out_of_tracking_gets_no_pixel_and_plain_links()
    {
        var (_, lesson) = await FirstLessonAsync("private@example.org", noTracking: true);
        Assert.DoesNotContain("/t/o/", lesson.HtmlBody);
        Assert.DoesNotContain("/t/c/", lesson.HtmlBody);
        Assert.Contains("/d/", lesson.HtmlBody);
    }

    private Task<DateTime?> CompletedAtAsync(Subscriber reader) =>
        _host.QueryAsync(db => db.Lessons.Where(l => l.Enrollment!.EmailKey == reader.Email && l.Day == 1).Select(l => l.CompletedAt).SingleAsync());
}
