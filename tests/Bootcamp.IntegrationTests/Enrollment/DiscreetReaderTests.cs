using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Bootcamp.IntegrationTests.Enrollment;

/// <summary>
/// What a discreet reader's inbox, lock screen and browser show, as received from the running host: the
/// confirmation and Day 1 (sender name, subject, preheader, the opening of either part), and every page their links
/// open, name nothing of the course's subject.
/// </summary>
public sealed class DiscreetReaderTests
{
    private const string DiscreetHost = "notes.test";

    // What a lock screen, a notification or a text-first client shows of a message: its first forty words or so.
    private const int FirstWords = 40;

    // Invisible characters that pad the preheader, so a client's preview stops there instead of running into the body.
    private static readonly char[] Padding = ['\u2007', '\u034F', '\u200C', '\u00A0', '\u00AD', '\u2060', '\uFEFF', ' '];

    [Fact]
    public async Task A_discreet_readers_confirmation_and_day_one_show_no_topic_in_sender_subject_preheader_or_opening_lines()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await StartAsync(sink);
        var reader = new Subscriber(host, sink, "quiet-mail@example.org");

        await reader.SignUpAsync(discreet: true);
        var confirmation = (await reader.WaitForConfirmationAsync()).Message;
        await SendAsync(host, HttpMethod.Post, confirmation.Link("/confirm/"));
        var dayOne = (await reader.WaitForLessonsAsync(1))[0].Message;

        AssertShowsNoTopic("confirmation", confirmation);
        AssertShowsNoTopic("Day 1", dayOne);
    }

    [Fact]
    public async Task Every_page_a_discreet_readers_links_open_shows_no_topic_in_its_title_or_text()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await StartAsync(sink);
        var reader = new Subscriber(host, sink, "quiet-pages@example.org");
        var pages = new List<(string Page, string Html)>();

        await reader.SignUpAsync(discreet: true);
        var confirm = (await reader.WaitForConfirmationAsync()).Message.Link("/confirm/");
        pages.Add(("/confirm/ (GET)", await SendAsync(host, HttpMethod.Get, confirm)));
        pages.Add(("/confirm/ (POST)", await SendAsync(host, HttpMethod.Post, confirm)));
        var dayOne = (await reader.WaitForLessonsAsync(1))[0].Message;
        pages.Add(("/d/ (GET)", await SendAsync(host, HttpMethod.Get, dayOne.Link("/d/"))));
        pages.Add(("/d/ (POST)", await SendAsync(host, HttpMethod.Post, dayOne.Link("/d/"))));
        pages.Add(("/m/", await SendAsync(host, HttpMethod.Get, dayOne.Link("/m/"))));
        pages.Add(("/u/ (GET)", await SendAsync(host, HttpMethod.Get, dayOne.Link("/u/"))));
        pages.Add(("/u/ (POST)", await SendAsync(host, HttpMethod.Post, dayOne.Link("/u/"))));

        foreach (var (page, html) in pages)
        {
            var document = new HtmlParser().ParseDocument(html);
            Assert.False(string.IsNullOrWhiteSpace(document.Title), $"{page} has no title");
            var shown = document.Title + "\n" + document.Body?.TextContent;
            var found = TopicWords.In(shown);
            Assert.True(found.Count == 0, $"{page} shows {string.Join(", ", found)}: {Squeeze(shown)}");
        }
        // The pages did what they say: the step is recorded done and the reader has left.
        Assert.True(await host.QueryAsync(db => db.Lessons.AnyAsync(l => l.Enrollment!.Email == reader.Email && l.Day == 1 && l.CompletedAt != null)));
        Assert.True(await host.QueryAsync(db => db.Enrollments.AnyAsync(e => e.Email == reader.Email && e.Status == EnrollmentStatus.Unsubscribed)));
    }

    private static async Task<TestHost> StartAsync(SmtpSink sink) =>
        await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port,
            $"--Campaign:DiscreetBaseUrl=http://{DiscreetHost}", "--Campaign:DayLength=00:10:00");

    private static void AssertShowsNoTopic(string email, MimeMessage message)
    {
        var document = new HtmlParser().ParseDocument(message.HtmlBody ?? string.Empty);
        var hidden = document.QuerySelectorAll("div").FirstOrDefault(d => d.GetAttribute("style")?.Replace(" ", "").Contains("display:none", StringComparison.Ordinal) == true);
        Assert.True(hidden is not null, $"the {email} has no preheader");
        var preheaderAndPadding = hidden.TextContent;
        var preheader = preheaderAndPadding.TrimEnd(Padding);
        var padding = preheaderAndPadding[preheader.Length..];
        // Without the padding, the preview shows the preheader and then the body's first words.
        Assert.True(padding.Length >= 20, $"the {email}'s preheader '{preheader}' is followed by {padding.Length} padding characters");
        hidden.Remove();
        foreach (var style in document.QuerySelectorAll("style, head").ToList())
        {
            style.Remove();
        }

        var parts = new (string Part, string Value)[]
        {
            ("sender name", message.From.Mailboxes.Single().Name ?? string.Empty),
            ("subject", message.Subject ?? string.Empty),
            ("preheader", preheader.Trim()),
            ("HTML's first lines", Opening(document.Body?.TextContent)),
            ("text part's first lines", Opening(message.TextBody)),
        };
        foreach (var (part, value) in parts)
        {
            Assert.False(string.IsNullOrWhiteSpace(value), $"the {email}'s {part} is empty");
            var found = TopicWords.In(value);
            Assert.True(found.Count == 0, $"the {email}'s {part} shows {string.Join(", ", found)}: {value}");
        }
    }

    /// <summary>The first words of a part, as a preview shows them.</summary>
    private static string Opening(string? text) =>
        string.Join(' ', (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(FirstWords));

    private static string Squeeze(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Follows a link as the reader's browser would: on the discreet host name, which this host also answers.</summary>
    private static async Task<string> SendAsync(TestHost host, HttpMethod method, string link)
    {
        var url = new Uri(link);
        Assert.Equal(DiscreetHost, url.Host);
        using var request = new HttpRequestMessage(method, host.BaseUrl + url.PathAndQuery) { Headers = { Host = DiscreetHost } };
        using var response = await host.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {url.AbsolutePath} answered {(int)response.StatusCode}: {html}");
        return html;
    }
}
