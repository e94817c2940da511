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
        // The person's page with every "are you sure?" open, as an admin reading them all would have it.
        var person = $"{host.BaseUrl}/admin/enrollments/{id}";
        browser.Navigate().GoToUrl(person);
        browser.FindElement(By.TagName("h1"));
        var disclosures = browser.FindElements(By.CssSelector(".actions details")).Count;
        ((IJavaScriptExecutor)browser).ExecuteScript("document.querySelectorAll('details').forEach(d => d.open = true);");
        violations.AddRange(Run(browser).Select(v => $"{person} (every action open): {v}"));
        // An action's answer, reached by keyboard alone: focus the pause's summary, open it, confirm.
        browser.Navigate().Refresh();
        browser.FindElement(By.CssSelector("#pause summary")).SendKeys(Keys.Enter);
        var openedByKeyboard = browser.FindElement(By.CssSelector("#pause")).GetAttribute("open") is not null;
        browser.FindElement(By.CssSelector("#pause button[type=submit]")).SendKeys(Keys.Enter);
        Chromium.WaitForHeading(browser, "Done");
        violations.AddRange(Run(browser).Select(v => $"the pause's answer: {v}"));

        Assert.Equal(4, disclosures);
        Assert.True(openedByKeyboard, "Enter on the pause's summary did not open it");
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
