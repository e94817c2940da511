using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using OpenQA.Selenium;

namespace Bootcamp.IntegrationTests.Browser;

public sealed class SignupPageTests
{
    [Fact]
    public async Task A_visitor_signs_up_in_a_real_browser_with_the_time_zone_filled_in_by_it()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port);
        using var browser = Chromium.Start(width: 375, height: 812);

        browser.Navigate().GoToUrl(host.BaseUrl + "/");
        var zone = browser.FindElement(By.Id("timeZone")).GetAttribute("value");
        Chromium.SaveScreenshot(browser, "signup-375");
        browser.FindElement(By.Id("email")).SendKeys("browser@example.org");
        browser.FindElement(By.Id("firstName")).SendKeys("Robin");
        browser.FindElement(By.Id("discreet")).Click();
        browser.FindElement(By.CssSelector("button[type=submit]")).Click();
        var heading = Chromium.WaitForHeading(browser, "Check your inbox");
        Chromium.SaveScreenshot(browser, "signup-check-inbox");

        Assert.False(string.IsNullOrEmpty(zone), "the page's script should fill the time zone from Intl");
        Assert.Equal("Check your inbox", heading);
        var horizontalOverflow = Chromium.HorizontalOverflow(browser);
        Assert.True(horizontalOverflow <= 0, $"the page is {horizontalOverflow}px wider than a phone");
        var confirmation = await new Subscriber(host, sink, "browser@example.org").WaitForConfirmationAsync();
        Assert.Equal("notes@localhost", confirmation.Message.From.Mailboxes.Single().Address);
        var enrollment = await host.QueryAsync(db => db.Enrollments.SingleAsync());
        Assert.Equal(zone, enrollment.TimeZone);
        Assert.True(enrollment.Discreet);
        Assert.Equal("Robin", enrollment.FirstName);
    }

    [Fact]
    public async Task The_time_zone_is_a_list_of_places_with_the_browsers_own_chosen_and_a_picked_stage_is_stored()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port);
        using var browser = Chromium.Start(width: 375, height: 812);
        browser.ExecuteCdpCommand("Emulation.setTimezoneOverride", new Dictionary<string, object?> { ["timezoneId"] = "Europe/Berlin" });

        browser.Navigate().GoToUrl(host.BaseUrl + "/");
        var zones = browser.FindElement(By.Id("timeZone"));
        var preselected = (zones.TagName, zones.GetAttribute("value"), browser.FindElement(By.CssSelector("#timeZone option:checked")).Text,
            browser.FindElement(By.Id("timeZone-id")).Text);
        var places = browser.FindElements(By.CssSelector("#timeZone optgroup")).Select(g => g.GetAttribute("label")).ToArray();
        Chromium.SaveScreenshot(browser, "signup-375-zones");
        // The search box narrows the list and picks the first place left.
        browser.FindElement(By.Id("timeZone-search")).SendKeys("tokyo");
        var searched = zones.GetAttribute("value");
        browser.FindElement(By.Id("email")).SendKeys("stage@example.org");
        var stage = browser.FindElement(By.Id("stage-new-revelation"));
        ((IJavaScriptExecutor)browser).ExecuteScript("arguments[0].scrollIntoView({block: 'center'});", stage);
        var pickedBefore = browser.FindElements(By.CssSelector("input[name=stage]:checked")).Count;
        stage.Click();
        Chromium.SaveScreenshot(browser, "signup-375-stage");
        var horizontalOverflow = Chromium.HorizontalOverflow(browser);
        browser.FindElement(By.CssSelector("button[type=submit]")).Click();
        Chromium.WaitForHeading(browser, "Check your inbox");

        Assert.Equal(("select", "Europe/Berlin", "Europe/Berlin"), (preselected.TagName, preselected.Item2, preselected.Item4));
        Assert.StartsWith("Berlin, Germany", preselected.Item3);
        Assert.Contains("Europe", places);
        Assert.Contains("Americas", places);
        Assert.Equal("Asia/Tokyo", searched);
        Assert.Equal(0, pickedBefore);
        Assert.True(horizontalOverflow <= 0, $"the page is {horizontalOverflow}px wider than a phone");
        await new Subscriber(host, sink, "stage@example.org").WaitForConfirmationAsync();
        var enrollment = await host.QueryAsync(db => db.Enrollments.SingleAsync());
        Assert.Equal("Asia/Tokyo", enrollment.TimeZone);
        Assert.Equal(Bootcamp.Domain.Stage.NewRevelation, enrollment.Stage);
    }

    [Fact]
    public async Task A_form_with_a_bad_address_comes_back_with_the_error_and_what_was_typed()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null);
        using var browser = Chromium.Start();

        browser.Navigate().GoToUrl(host.BaseUrl + "/");
        browser.FindElement(By.Id("email")).SendKeys("not an address");
        browser.FindElement(By.CssSelector("button[type=submit]")).Click();

        Assert.Contains("This is not a valid email address.", browser.FindElement(By.CssSelector("[role=alert]")).Text);
        Assert.Equal("not an address", browser.FindElement(By.Id("email")).GetAttribute("value"));
        Assert.Equal("true", browser.FindElement(By.Id("email")).GetAttribute("aria-invalid"));
    }
}
