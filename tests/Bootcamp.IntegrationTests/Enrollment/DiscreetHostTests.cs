using System.Net;
using System.Text.RegularExpressions;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.IntegrationTests.Enrollment;

/// <summary>
/// Campaign:DiscreetBaseUrl: discreet readers' links, and the confirmation's for everyone, go to a second host
/// name of the same service, whose home page names nothing.
/// </summary>
public sealed partial class DiscreetHostTests
{
    private const string DiscreetBase = "http://notes.test";

    [Fact]
    public async Task Discreet_readers_links_and_every_confirmation_use_the_discreet_host_whose_home_page_names_nothing()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port, $"--Campaign:DiscreetBaseUrl={DiscreetBase}", "--Campaign:DayLength=00:10:00");
        var discreet = new Subscriber(host, sink, "quiet@example.org");
        var normal = new Subscriber(host, sink, "plain@example.org");

        await discreet.SignUpAsync(discreet: true, noTracking: false);
        await normal.SignUpAsync(discreet: false, noTracking: false);
        var confirmations = new[] { (await discreet.WaitForConfirmationAsync()).Message, (await normal.WaitForConfirmationAsync()).Message };
        foreach (var confirmation in confirmations)
        {
            var link = confirmation.Link("/confirm/");
            Assert.StartsWith(DiscreetBase + "/confirm/", link);
            // The same service answers on either name: the token is what counts.
            using var confirm = await host.Http.PostAsync(host.BaseUrl + new Uri(link).AbsolutePath, null);
            Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        }
        var quietLesson = (await discreet.WaitForLessonsAsync(1))[0].Message;
        var plainLesson = (await normal.WaitForLessonsAsync(1))[0].Message;
        using var discreetHome = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "notes.test" } };
        using var home = await host.Http.SendAsync(discreetHome);
        var homeHtml = await home.Content.ReadAsStringAsync();
        var publicHome = await host.Http.GetStringAsync("/");

        Assert.All(OurLinks(quietLesson, host), url => Assert.StartsWith(DiscreetBase + "/", url));
        Assert.StartsWith($"<{DiscreetBase}/u/", quietLesson.Headers["List-Unsubscribe"]);
        Assert.All(OurLinks(plainLesson, host), url => Assert.StartsWith(host.BaseUrl + "/", url));
        Assert.NotEmpty(OurLinks(quietLesson, host));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        foreach (var word in new[] { "infidel", "bootcamp", "affair", "partner", "surviv" })
        {
            Assert.DoesNotContain(word, homeHtml, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain("<form", homeHtml);
        Assert.Contains("Surviving Infidelity Bootcamp", publicHome);
    }

    /// <summary>Every link of the service's own in a message (either host), from both parts.</summary>
    private static List<string> OurLinks(MimeKit.MimeMessage message, TestHost host) =>
        [.. Url().Matches((message.HtmlBody ?? "") + "\n" + message.TextBody).Select(m => m.Value)
            .Where(u => u.StartsWith(DiscreetBase, StringComparison.Ordinal) || u.StartsWith(host.BaseUrl, StringComparison.Ordinal))];

    [GeneratedRegex(@"https?://[^\s""'<>]+")]
    private static partial Regex Url();
}
