using Bootcamp.Guide;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using OpenQA.Selenium;

namespace Bootcamp.IntegrationTests.Browser;

/// <summary>The page a reader may forward, as a phone shows it.</summary>
public sealed class GuidePageBrowserTests
{
    [Fact]
    public async Task The_page_to_share_fits_a_phone()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), smtpPort: null);
        using var browser = Chromium.Start(width: 375, height: 812);

        browser.Navigate().GoToUrl(host.BaseUrl + GuideModule.RepairPath);
        var heading = browser.FindElement(By.TagName("h1")).Text;
        var overflow = Chromium.HorizontalOverflow(browser);
        Chromium.SaveScreenshot(browser, "guide-375");

        Assert.Equal("If you want to put things right", heading);
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than a phone");
    }
}
