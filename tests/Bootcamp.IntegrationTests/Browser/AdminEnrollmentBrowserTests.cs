using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using OpenQA.Selenium;

namespace Bootcamp.IntegrationTests.Browser;

/// <summary>
/// An admin in a browser: signs in, finds one reader by address, reads why the next lesson waits, pauses them,
/// sees the page say so, resumes them. On a laptop's width and a phone's.
/// </summary>
public sealed class AdminEnrollmentBrowserTests
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task An_admin_finds_a_reader_pauses_them_and_resumes_them(int width)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port, "--Campaign:DayLength=01:00:00");
        var reader = new Subscriber(host, sink, $"found-{width}@example.org");
        await reader.JoinAsync(timeZone: "Asia/Tokyo");
        await reader.WaitForLessonsAsync(1);
        using var browser = Chromium.Start(width: width, height: 900);

        browser.Navigate().GoToUrl(host.BaseUrl + "/admin/enrollments");
        browser.FindElement(By.Id("email")).SendKeys(TestHost.AdminEmail);
        browser.FindElement(By.Id("password")).SendKeys(TestHost.AdminPassword);
        browser.FindElement(By.CssSelector("form button[type=submit]")).Click();
        Chromium.WaitForHeading(browser, "Enrollments");
        browser.FindElement(By.Id("q")).SendKeys(reader.Email);
        browser.FindElement(By.CssSelector("form[action='/admin/enrollments'] button")).Click();
        WaitForUrl(browser, "q=");
        var found = browser.FindElement(By.CssSelector("table a[href^='/admin/enrollments/']"));
        var listed = browser.FindElement(By.CssSelector("table")).Text;
        Chromium.SaveScreenshot(browser, $"admin-enrollments-{width}");
        found.Click();
        var heading = Chromium.WaitForHeading(browser, reader.Email);
        var before = WhyNot(browser);
        var listOverflow = Chromium.HorizontalOverflow(browser);
        Chromium.SaveScreenshot(browser, $"admin-enrollment-{width}");
        var person = browser.Url;

        // Nothing acts on the first click: the pause opens its "are you sure?", which says until when.
        var pauseClosed = browser.FindElement(By.CssSelector("#pause button[type=submit]")).Displayed;
        browser.FindElement(By.CssSelector("#pause summary")).Click();
        browser.FindElement(By.CssSelector("#days option[value='4']")).Click();
        var pauseAsks = browser.FindElement(By.CssSelector("#pause")).Text;
        Chromium.SaveScreenshot(browser, $"admin-enrollment-{width}-pause-asks");
        browser.FindElement(By.CssSelector("#pause button[type=submit]")).Click();
        var pausedAnswer = Chromium.WaitForHeading(browser, "Done");
        browser.Navigate().GoToUrl(person);
        Chromium.WaitForHeading(browser, reader.Email);
        var whilePaused = WhyNot(browser);
        var timeline = browser.FindElement(By.XPath("//h2[.='Timeline (UTC)']/following-sibling::div")).Text;
        Chromium.SaveScreenshot(browser, $"admin-enrollment-{width}-paused");
        browser.FindElement(By.CssSelector("#resume summary")).Click();
        browser.FindElement(By.CssSelector("#resume button[type=submit]")).Click();
        var resumedAnswer = Chromium.WaitForHeading(browser, "Done");
        browser.Navigate().GoToUrl(person);
        Chromium.WaitForHeading(browser, reader.Email);
        var afterResume = WhyNot(browser);

        Assert.Contains(reader.Email, listed);
        Assert.Equal(reader.Email, heading);
        Assert.Matches(@"Day 2 is due at \d\d:\d\d .* \(Asia/Tokyo\) = \d\d:\d\d UTC, in ", before);
        Assert.True(listOverflow <= 0, $"the page is {listOverflow}px wider than the window");
        Assert.False(pauseClosed);
        Assert.Contains($"Pause {reader.Email}: no lesson goes out until the pause ends", pauseAsks);
        Assert.Matches(@"4 days: no lesson until \d\d:\d\d .* \(Asia/Tokyo\)", pauseAsks);
        Assert.Equal("Done", pausedAnswer);
        Assert.Contains("Day 2 waits: paused until", whilePaused);
        Assert.Contains("paused", timeline, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Done", resumedAnswer);
        Assert.Matches(@"Day 2 is due at \d\d:\d\d .* \(Asia/Tokyo\)", afterResume);
        Assert.Equal(EnrollmentStatus.Active, await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Status).SingleAsync()));
    }

    // The list shows rows before the search too: wait for the answer's page, not the old one's table.
    private static void WaitForUrl(IWebDriver browser, string part)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (!browser.Url.Contains(part, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < until, $"the browser stayed on {browser.Url}");
            Thread.Sleep(50);
        }
    }

    private static string WhyNot(IWebDriver browser) =>
        browser.FindElement(By.XPath("//h2[.='Why not?']/following-sibling::p[1]")).Text;
}
