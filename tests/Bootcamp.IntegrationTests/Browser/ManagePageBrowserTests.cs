using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using OpenQA.Selenium;

namespace Bootcamp.IntegrationTests.Browser;

/// <summary>The reader's own page on a phone, for a normal and a discreet reader: fits, names no topic, and pausing works.</summary>
public sealed class ManagePageBrowserTests
{

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task On_a_phone_the_page_fits_names_no_topic_and_a_pause_takes_one_tap(bool discreet)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port, "--Campaign:DayLength=00:01:00");
        var reader = new Subscriber(host, sink, $"phone-{discreet}@example.org");
        await reader.JoinAsync(discreet: discreet);
        var manage = (await reader.WaitForLessonsAsync(1))[0].Message.Link("/m/");
        var kind = discreet ? "discreet" : "normal";
        using var browser = Chromium.Start(width: 375, height: 812);

        browser.Navigate().GoToUrl(manage);
        var title = browser.Title;
        var text = browser.FindElement(By.TagName("body")).Text;
        var overflow = Chromium.HorizontalOverflow(browser);
        Chromium.SaveScreenshot(browser, $"manage-375-{kind}");
        browser.FindElement(By.Id("days")).Clear();
        browser.FindElement(By.Id("days")).SendKeys("5");
        browser.FindElement(By.CssSelector("form:has(#days) button")).Click();
        var heading = Chromium.WaitForHeading(browser, "Done");
        Chromium.SaveScreenshot(browser, $"manage-375-{kind}-paused");

        Assert.Equal("Your emails", title);
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than a phone");
        foreach (var word in TopicWords.All)
        {
            Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("1 of 7 sent", text);
        Assert.Equal("Done", heading);
        var enrollment = await host.QueryAsync(db => db.Enrollments.SingleAsync(e => e.Email == reader.Email));
        Assert.Equal(EnrollmentStatus.Paused, enrollment.Status);
    }
}
