using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using OpenQA.Selenium;

namespace Bootcamp.IntegrationTests.Browser;

/// <summary>The overview as an admin's browser shows it: charts drawn by the vendored Chart.js under the strict CSP, on a phone and a laptop.</summary>
public sealed class AdminOverviewBrowserTests
{
    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task The_funnel_and_trend_charts_are_drawn_without_a_console_error(int width)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port, "--Campaign:DayLength=1.00:00:00");
        await AdminBrowser.SeedAsync(host, sink);
        using var browser = AdminBrowser.SignIn(host, width, height: 1400);

        var funnel = PaintedPixels(browser, "funnel-chart");
        var trend = PaintedPixels(browser, "trend-chart");
        var overflow = Chromium.HorizontalOverflow(browser);
        var stepDone = browser.FindElement(By.CssSelector("#days-title ~ .scroll tbody tr td.headline")).Text;
        Chromium.SaveScreenshot(browser, $"admin-overview-{width}");
        var errors = Chromium.ConsoleErrors(browser);

        Assert.True(funnel > 500, $"the funnel chart painted {funnel} pixels");
        Assert.True(trend > 500, $"the trend chart painted {trend} pixels");
        Assert.Empty(errors);
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the window: only tables may scroll, inside their box");
        Assert.StartsWith("1", stepDone);
    }

    /// <summary>Waits (with a deadline) until the canvas has drawn pixels, and returns how many.</summary>
    private static long PaintedPixels(IWebDriver browser, string canvasId)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var painted = (long)((IJavaScriptExecutor)browser).ExecuteScript("""
                const c = document.getElementById(arguments[0]);
                if (!c || c.width === 0 || c.height === 0) { return 0; }
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) { n++; } }
                return n;
                """, canvasId)!;
            if (painted > 500 || DateTime.UtcNow > until)
            {
                return painted;
            }
            Thread.Sleep(50);
        }
    }
}
