using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bootcamp.IntegrationTests.Hosting.HttpForms;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>
/// Every action on a person asks first, on the page: a closed disclosure named for the action, saying what it will do to
/// this reader, holds the only form that acts. The one POST then acts, and its answer, in the admin layout, says what was
/// done and what comes next, with a link back; refusals (400, 404, 409) are answered in the same layout.
/// </summary>
public sealed class ActionConfirmationTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Each_action_says_what_it_will_do_before_it_acts_and_its_answer_says_what_was_done_with_a_link_back(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=01:00:00");
        var reader = new Subscriber(host, sink, $"asked-{provider}@example.org");
        await reader.JoinAsync(timeZone: "Asia/Tokyo");
        await reader.WaitForLessonsAsync(1);
        var id = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Id).SingleAsync());
        // The mail server has Day 1 a moment before the sender records it sent; the page offers a resend only then.
        await Eventually.ReturnsAsync(() => host.QueryAsync(db => db.Lessons.AnyAsync(l => l.EnrollmentId == id && l.Day == 1 && l.State == LessonState.Sent)),
            sent => sent, what: "Day 1 to be recorded sent");
        using var admin = await AdminClient.SignInAsync(host);
        var url = $"/admin/enrollments/{id}";
        var back = $"a[href='{url}']";

        var active = await PageAsync(admin, url);
        var statusBefore = await StatusAsync(host, id);
        using var paused = await PostAsync(admin, active, url, ("action", "pause"), ("days", "7"));
        var pausedPage = await PageAsync(admin, url);
        using var resumed = await PostAsync(admin, pausedPage, url, ("action", "resume"));
        using var resent = await PostAsync(admin, active, url, ("action", "resend"), ("day", "1"));
        using var badDays = await PostAsync(admin, active, url, ("action", "pause"), ("days", "31"));
        using var unsubscribed = await PostAsync(admin, active, url, ("action", "unsubscribe"));
        var unsubscribedPage = await PageAsync(admin, url);
        using var resumeRefused = await PostAsync(admin, active, url, ("action", "resume"));
        var askErase = await PageAsync(admin, url + "?ask=erase");
        using var erased = await PostAsync(admin, askErase, url, ("action", "erase"));
        using var gone = await PostAsync(admin, active, url, ("action", "unsubscribe"));

        // Before anything: each action the course allows is a closed disclosure, its summary the action's name, its text
        // what will happen to this reader, its form and real submit button inside; no form acts from outside one.
        Assert.Equal(EnrollmentStatus.Active, statusBefore);
        Assert.Equal(["pause", "resend", "unsubscribe", "erase"], Disclosures(active).Select(d => d.Action));
        Assert.All(Disclosures(active), d => Assert.False(d.Open, $"{d.Action} is open before it is asked for"));
        Assert.Equal(["Pause", "Send a lesson again", "Unsubscribe", "Erase"], Disclosures(active).Select(d => d.Summary));
        Assert.Equal(["Yes, pause", "Yes, send it again", "Yes, unsubscribe", "Yes, erase"], Disclosures(active).Select(d => d.Button));
        Assert.Equal(4, active.QuerySelectorAll("form input[name=action]").Length);
        var pause = Text(active, "pause");
        Assert.Contains($"Pause {reader.Email}: no lesson goes out until the pause ends; then the 6 lessons left continue one a day at 08:00 (Asia/Tokyo).", pause);
        var lengths = active.QuerySelectorAll("#pause select[name=days] option").Select(o => o.TextContent).ToList();
        Assert.Equal(30, lengths.Count);
        Assert.Matches(@"^7 days: no lesson until \d\d:\d\d \w+ \d+ \w+ \(Asia/Tokyo\) = \d\d:\d\d UTC$", lengths[6]);
        Assert.Equal("3", active.QuerySelector("#pause option[selected]")?.GetAttribute("value"));
        Assert.Contains($"Send one lesson again to {reader.Email} now, as it was first sent: the same Message-ID, marked as a resend", Text(active, "resend"));
        Assert.Equal(["1"], active.QuerySelectorAll("#resend select[name=day] option").Select(o => o.GetAttribute("value")));
        Assert.Contains($"Unsubscribe {reader.Email}: the 6 lessons left are never sent", Text(active, "unsubscribe"));
        Assert.Contains($"Erase {reader.Email}: every enrollment of this address, its lessons and events are deleted; only the keyed suppression hash stays", Text(active, "erase"));

        // Each answer: what was done, what now, and a real link back, in the admin layout.
        var pausedAnswer = await AnswerAsync(paused, HttpStatusCode.OK);
        Assert.Equal("Done", Heading(pausedAnswer));
        Assert.Contains("Paused for 7 days.", pausedAnswer.Body!.TextContent);
        Assert.Matches(@"Now: Day 2 waits: paused until \d\d:\d\d", pausedAnswer.Body!.TextContent);
        Assert.Equal("Back to this enrollment", pausedAnswer.QuerySelector(back)?.TextContent);
        Assert.DoesNotContain("Back: ", pausedAnswer.Body!.TextContent);

        // Paused, the page offers to resume, and says the pause would be replaced; no lesson goes again while paused.
        Assert.Equal(["pause", "resume", "unsubscribe", "erase"], Disclosures(pausedPage).Select(d => d.Action));
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(reader.Email)} is paused until \d\d:\d\d .* \(Asia/Tokyo\) = \d\d:\d\d UTC\. A new pause, counted from now, replaces that one", Text(pausedPage, "pause"));
        Assert.Contains($"Resume {reader.Email} now, before the pause ends", Text(pausedPage, "resume"));
        Assert.Contains("the 6 lessons left continue one a day at 08:00 (Asia/Tokyo), the first at the next 08:00 to come", Text(pausedPage, "resume"));

        var resumedAnswer = await AnswerAsync(resumed, HttpStatusCode.OK);
        Assert.Contains("Resumed: the lessons left continue one a day at the reader's send time.", resumedAnswer.Body!.TextContent);
        Assert.Matches(@"Now: Day 2 is due at \d\d:\d\d .* \(Asia/Tokyo\)", resumedAnswer.Body!.TextContent);
        Assert.NotNull(resumedAnswer.QuerySelector(back));

        var resentAnswer = await AnswerAsync(resent, HttpStatusCode.OK);
        Assert.Equal("Sent again", Heading(resentAnswer));
        Assert.NotNull(resentAnswer.QuerySelector(back));

        var badDaysAnswer = await AnswerAsync(badDays, HttpStatusCode.BadRequest);
        Assert.Contains("days: a whole number of days from 1 to 30.", badDaysAnswer.Body!.TextContent);
        Assert.NotNull(badDaysAnswer.QuerySelector(back));

        var unsubscribedAnswer = await AnswerAsync(unsubscribed, HttpStatusCode.OK);
        Assert.Contains("Unsubscribed: nothing more will be sent.", unsubscribedAnswer.Body!.TextContent);
        Assert.Contains("Now: Stopped: unsubscribed at", unsubscribedAnswer.Body!.TextContent);
        Assert.NotNull(unsubscribedAnswer.QuerySelector(back));
        // Over, the course offers what still applies: erasing (an unsubscribed course gets no lesson again).
        Assert.Equal(["erase"], Disclosures(unsubscribedPage).Select(d => d.Action));

        var refusedAnswer = await AnswerAsync(resumeRefused, HttpStatusCode.Conflict);
        Assert.Equal("Not possible now", Heading(refusedAnswer));
        Assert.NotNull(refusedAnswer.QuerySelector(back));

        // ?ask=erase, the old erase page's address, opens that one disclosure.
        Assert.Equal([("erase", true)], Disclosures(askErase).Where(d => d.Open).Select(d => (d.Action, d.Open)));
        var erasedAnswer = await AnswerAsync(erased, HttpStatusCode.OK);
        Assert.Equal("Erased", Heading(erasedAnswer));
        Assert.Equal("Back to the enrollments", erasedAnswer.QuerySelector("a[href='/admin/enrollments']:not([aria-current])")?.TextContent);
        var goneAnswer = await AnswerAsync(gone, HttpStatusCode.NotFound);
        Assert.Equal("Not found", Heading(goneAnswer));
        Assert.Equal(0, await host.QueryAsync(db => db.Enrollments.CountAsync(e => e.Id == id)));
    }

    private sealed record Disclosure(string Action, string Summary, string Button, bool Open);

    private static List<Disclosure> Disclosures(IDocument page) =>
    [
        .. page.QuerySelectorAll("details").Select(d => new Disclosure(
            d.QuerySelector("form input[name=action]")?.GetAttribute("value") ?? "(none)",
            d.QuerySelector("summary")?.TextContent.Trim() ?? "(none)",
            d.QuerySelector("form button[type=submit]")?.TextContent.Trim() ?? "(none)",
            d.HasAttribute("open"))),
    ];

    private static string Text(IDocument page, string action) =>
        string.Join(" ", page.QuerySelectorAll($"details#{action} > p").Select(p => System.Text.RegularExpressions.Regex.Replace(p.TextContent, @"\s+", " ").Trim()));

    private static async Task<IDocument> PageAsync(HttpClient admin, string url) => new HtmlParser().ParseDocument(await admin.GetStringAsync(url));

    private static Task<HttpResponseMessage> PostAsync(HttpClient admin, IDocument page, string url, params (string, string)[] fields) =>
        admin.PostAsync(url, Form([("__af", page.QuerySelector("input[name=__af]")!.GetAttribute("value")!), .. fields]));

    /// <summary>The answer's page, once its status is checked and it is seen to be in the admin layout.</summary>
    private static async Task<IDocument> AnswerAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"answered {(int)response.StatusCode}, not {(int)status}: {html}");
        Assert.Equal("admin layout, navigation, sign-out", AdminPagesSweepTests.Layout(html));
        return new HtmlParser().ParseDocument(html);
    }

    private static string Heading(IDocument page) => page.QuerySelector("h1")?.TextContent.Trim() ?? "";

    private static Task<EnrollmentStatus> StatusAsync(TestHost host, long id) =>
        host.QueryAsync(db => db.Enrollments.Where(e => e.Id == id).Select(e => e.Status).SingleAsync());
}
