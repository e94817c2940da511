using System.Net;
using System.Text.RegularExpressions;
using Bootcamp.Guide;
using Bootcamp.IntegrationTests.Hosting;

namespace Bootcamp.IntegrationTests.Guide;

public sealed class GuidePageTests
{
    [Fact]
    public async Task The_page_to_share_answers_for_anyone_with_a_neutral_title_and_what_repair_asks()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), smtpPort: null);

        using var response = await host.Http.GetAsync(GuideModule.RepairPath);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var title = Regex.Match(html, "<title>(.*?)</title>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal("If you want to put things right", title);
        // The tab, the history and the address may be seen on a shared device: none of them names the topic.
        string[] topicWords = ["affair", "infidel", "unfaithful", "cheat", "betray", "partner", "sex", "trauma", "hurt"];
        foreach (var shown in new[] { title, GuideModule.RepairPath })
        {
            Assert.DoesNotContain(topicWords, word => shown.Contains(word, StringComparison.OrdinalIgnoreCase));
        }
        Assert.Contains("<h1>If you want to put things right</h1>", html);
        Assert.Contains("End all contact with the affair partner, and say so.", html);
        Assert.Contains("An empathy letter, with no \"but\"", WebUtility.HtmlDecode(html));
        // The same page for everyone: cacheable, no cookie, no form, nothing fetched from elsewhere.
        Assert.Equal("public, max-age=3600", response.Headers.CacheControl?.ToString());
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.DoesNotContain("<form", html);
        Assert.DoesNotMatch("(src|href)=\"https?://", html);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
