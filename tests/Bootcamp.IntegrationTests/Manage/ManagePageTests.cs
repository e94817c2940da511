using static Bootcamp.IntegrationTests.Hosting.HttpForms;
using System.Net;
using System.Net.Http.Json;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Campaign;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Manage;

/// <summary>The reader steers their own course from the link in every lesson's footer, through real HTTP.</summary>
public sealed class ManagePageTests
{

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_reader_pauses_from_the_footer_link_gets_nothing_meanwhile_and_after_resuming_gets_the_rest_in_order_once(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        // Days of two seconds: long enough to pause after lesson 1 before lesson 2 is due.
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=00:00:02");
        var reader = new Subscriber(host, sink, $"pause-{provider}@example.org");
        await reader.JoinAsync();
        var manage = (await reader.WaitForLessonsAsync(1))[0].Message.Link("/m/");

        using var page = await host.Http.GetAsync(manage);
        var html = await page.Content.ReadAsStringAsync();
        using var paused = await host.Http.PostAsync(manage, Form(("action", "pause"), ("days", "30")));
        var whilePaused = await host.QueryAsync(db => db.Enrollments.Include(e => e.Lessons).SingleAsync(e => e.Email == reader.Email));
        var sentBeforeResume = reader.Lessons.Count;
        using var resumed = await host.Http.PostAsync(manage, Form(("action", "resume")));
        await reader.WaitForLessonsAsync(Domain.Campaign.LessonCount);
        await SevenDayCampaignTests.WaitUntilNothingIsLeftToSendAsync(host);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Your emails</title>", html);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal(EnrollmentStatus.Paused, whilePaused.Status);
        Assert.All(whilePaused.Lessons.Where(l => l.Day > sentBeforeResume), l => Assert.Equal(LessonState.Held, l.State));
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], reader.Lessons.Select(m => m.Day()));
        Assert.Equal(7, reader.Lessons.Select(m => m.Message.MessageId).Distinct().Count());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Leave_and_erase_deletes_the_reader_sends_nothing_more_and_the_page_after_names_no_topic(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=00:00:30");
        var reader = new Subscriber(host, sink, $"erase-{provider}@example.org");
        await reader.JoinAsync(discreet: true);
        var lesson = (await reader.WaitForLessonsAsync(1))[0].Message;
        var manage = lesson.Link("/m/");

        using var ask = await host.Http.GetAsync(manage + "?ask=erase");
        using var erased = await host.Http.PostAsync(manage, Form(("action", "erase")));
        var afterPage = await erased.Content.ReadAsStringAsync();
        using var again = await host.Http.GetAsync(manage);
        using var unsubscribe = await host.Http.PostAsync(lesson.Link("/u/"), Form(("List-Unsubscribe", "One-Click")));

        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Contains("name=\"action\" value=\"erase\"", await ask.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        foreach (var word in TopicWords.All)
        {
            Assert.DoesNotContain(word, afterPage, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unsubscribe.StatusCode);
        Assert.Equal((0, 0, 1), await host.QueryAsync(async db => (
            await db.Enrollments.CountAsync(e => e.EmailKey == reader.Email),
            await db.Lessons.CountAsync(),
            await db.Suppressions.CountAsync())));
        // Signing up again is suppressed: nothing is sent, not even a confirmation.
        await reader.SignUpAsync();
        Assert.Single(reader.AllMail.Confirmations());
    }

    [Fact]
    public async Task Where_are_you_now_is_set_from_the_page_changes_day_threes_paragraph_and_stays_out_of_headers_and_links()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port, "--Campaign:DayLength=00:00:06");
        var reader = new Subscriber(host, sink, "stage@example.org");
        await reader.JoinAsync();
        var manage = (await reader.WaitForLessonsAsync(1))[0].Message.Link("/m/");

        using var bad = await host.Http.PostAsync(manage, Form(("action", "stage"), ("value", "yesterday")));
        using var set = await host.Http.PostAsync(manage, Form(("action", "stage"), ("value", "months")));
        var page = await host.Http.GetStringAsync(manage);
        var stored = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Stage).SingleAsync());
        var lessons = await reader.WaitForLessonsAsync(3);
        using var cleared = await host.Http.PostAsync(manage, Form(("action", "stage"), ("value", "none")));
        var afterClearing = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Stage).SingleAsync());

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("value:", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(Stage.Months, stored);
        Assert.Contains("value=\"months\" checked", page);
        Assert.Contains("Months on, you may know most of the story", lessons.Single(l => l.Day() == 3).Message.TextBody);
        Assert.All(lessons, l => Assert.DoesNotContain(l.Message.Headers, h => h.Value.Contains("months", StringComparison.OrdinalIgnoreCase)));
        Assert.All(lessons, l => Assert.DoesNotContain(l.Message.LinksInEveryPart("/"), link => link.Contains("months", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Null(afterClearing);
    }

    [Fact]
    public async Task Bad_choices_are_refused_with_the_field_named_and_a_get_changes_nothing()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port, "--Campaign:DayLength=00:01:00");
        var reader = new Subscriber(host, sink, "choices@example.org");
        await reader.JoinAsync();
        var manage = (await reader.WaitForLessonsAsync(1))[0].Message.Link("/m/");

        var answers = new List<(HttpStatusCode, string)>();
        foreach (var form in new[]
        {
            Form(("action", "pause"), ("days", "0")), Form(("action", "pause"), ("days", "31")), Form(("action", "pause")),
            Form(("action", "time"), ("sendAt", "25:00")), Form(("action", "time"), ("timeZone", "Mars/Olympus")), Form(("action", "tracking"), ("value", "maybe")),
            Form(("action", "explode")), Form(),
        })
        {
            using var response = await host.Http.PostAsync(manage, form);
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }
        for (var i = 0; i < 3; i++)
        {
            (await host.Http.GetAsync(manage)).Dispose();
        }
        using var foreign = await host.Http.PostAsync("/m/not-a-token", Form(("action", "leave")));
        using var time = await host.Http.PostAsync(manage, Form(("action", "time"), ("sendAt", "21:30"), ("timeZone", "Asia/Tokyo")));
        var after = await host.QueryAsync(db => db.Enrollments.SingleAsync(e => e.Email == reader.Email));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.BadRequest, a.Item1));
        Assert.Equal(["days", "days", "days", "sendAt", "timeZone", "value", "action", "action"], answers.Select(a => FieldNamed(a.Item2)));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, time.StatusCode);
        Assert.Equal((EnrollmentStatus.Active, "21:30", "Asia/Tokyo"), (after.Status, after.SendAt, after.TimeZone));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Skip_tomorrow_moves_the_next_lesson_and_the_rest_by_one_day(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=00:10:00");
        var reader = new Subscriber(host, sink, $"skip-{provider}@example.org");
        await reader.JoinAsync();
        var manage = (await reader.WaitForLessonsAsync(1))[0].Message.Link("/m/");
        var before = await host.QueryAsync(db => db.Lessons.Where(l => l.Enrollment!.Email == reader.Email).OrderBy(l => l.Day).Select(l => l.DueAt).ToListAsync());

        using var skipped = await host.Http.PostAsync(manage, Form(("action", "skip")));
        var after = await host.QueryAsync(db => db.Lessons.Where(l => l.Enrollment!.Email == reader.Email).OrderBy(l => l.Day).Select(l => l.DueAt).ToListAsync());

        Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
        Assert.Equal(before[0], after[0]);
        // Demo spacing: a "day" is ten minutes.
        Assert.All(Enumerable.Range(1, 6), i => Assert.Equal(before[i].AddMinutes(10), after[i]));
    }

    [Fact]
    public async Task After_tracking_is_turned_off_the_links_of_emails_already_sent_still_work_and_count_nothing()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port, "--Campaign:DayLength=00:10:00");
        var reader = new Subscriber(host, sink, "changed-mind@example.org");
        var witness = new Subscriber(host, sink, "still-tracked@example.org");
        await reader.JoinAsync();
        await witness.JoinAsync();
        var lesson = (await reader.WaitForLessonsAsync(1))[0].Message;
        var witnessLesson = (await witness.WaitForLessonsAsync(1))[0].Message;
        using (var off = await host.Http.PostAsync(lesson.Link("/m/"), Form(("action", "tracking"), ("value", "off"))))
        {
            Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        }

        using var click = await host.Http.GetAsync(lesson.Link("/t/c/"));
        using var pixel = await host.Http.GetAsync(lesson.Link("/t/o/"));
        // Opens are written in batches, in the order they came: once the witness's later open is in, the reader's was handled.
        using (await host.Http.GetAsync(witnessLesson.Link("/t/o/"))) { }
        await Eventually.ReturnsAsync(() => host.QueryAsync(db => db.Lessons.CountAsync(l => l.Enrollment!.Email == witness.Email && (l.OpenedAt != null || l.MachineOpenedAt != null))),
            opened => opened == 1, what: "the witness's open");

        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pixel.StatusCode);
        Assert.Equal((0, 0), await host.QueryAsync(async db => (
            await db.Events.CountAsync(e => db.Lessons.Any(l => l.Id == e.LessonId && l.Enrollment!.Email == reader.Email)),
            await db.Lessons.CountAsync(l => l.Enrollment!.Email == reader.Email && (l.OpenedAt != null || l.MachineOpenedAt != null || l.ClickedAt != null)))));
    }

    [Fact]
    public async Task Without_the_readers_consent_a_lesson_has_no_pixel_and_plain_links()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port, "--Campaign:DayLength=00:01:00");
        var reader = new Subscriber(host, sink, "no-consent@example.org");
        // The API's tracking field left out, as most callers will.
        using (var response = await host.Http.PostAsJsonAsync("/api/enrollments", new { email = reader.Email, timeZone = "Europe/Paris" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        using (await host.Http.PostAsync((await reader.WaitForConfirmationAsync()).Message.Link("/confirm/"), null)) { }

        var lesson = (await reader.WaitForLessonsAsync(1))[0].Message;

        Assert.DoesNotContain("/t/o/", lesson.HtmlBody);
        Assert.DoesNotContain("/t/c/", lesson.HtmlBody + lesson.TextBody);
        Assert.Contains("/d/", lesson.HtmlBody);
        Assert.Contains("/m/", lesson.TextBody);
    }

    private static string FieldNamed(string page)
    {
        Assert.Contains("<p>", page);
        var start = page.IndexOf("<p>", StringComparison.Ordinal) + 3;
        return page[start..page.IndexOf(':', start)];
    }
}
