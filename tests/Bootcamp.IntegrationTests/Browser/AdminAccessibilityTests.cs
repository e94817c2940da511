using System.Text.Json;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using OpenQA.Selenium;

namespace Bootcamp.IntegrationTests.Browser;

/// <summary>
/// axe-core (vendored, run inside the page) on every admin page in <see cref="AdminBrowser.Pages"/>: no WCAG 2.1 A or AA
/// violation. Hangfire's own dashboard (/admin/jobs) is a third party's page and not checked here.
/// </summary>
public sealed class AdminAccessibilityTests
{
    private static readonly string Axe = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Browser", "Axe", "axe.min.js"));

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task Every_admin_page_passes_axe_for_WCAG_2_1_A_and_AA(int width)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port, "--Campaign:DayLength=1.00:00:00");
        var id = await AdminBrowser.SeedAsync(host, sink);
        using var browser = AdminBrowser.SignIn(host, width);

        var violations = new List<string>();
        foreach (var page in AdminBrowser.Pages)
        {
            browser.Navigate().GoToUrl(host.BaseUrl + page.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            browser.FindElement(By.TagName("h1"));
            violations.AddRange(Run(browser).Select(v => $"{page}: {v}"));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    private static IEnumerable<string> Run(IWebDriver browser)
    {
        var script = (IJavaScriptExecutor)browser;
        script.ExecuteScript(Axe);
        browser.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(60);
        var json = (string)script.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) })))))
               .catch(e => done(JSON.stringify([{ id: 'axe-error', help: String(e), nodes: [] }])));
            """)!;
        using var violations = JsonDocument.Parse(json);
        return [.. violations.RootElement.EnumerateArray().Select(v =>
            $"{v.GetProperty("id").GetString()} ({v.GetProperty("help").GetString()}) at {string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}")];
    }
}
