using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using OpenQA.Selenium;

namespace Bootcamp.IntegrationTests.Browser;

/// <summary>The admins' email previews in Chromium: signed in, each email's HTML drawn in its frame beside the text, and no sideways scrolling on a phone.</summary>
public sealed class LessonPreviewBrowserTests
{
    [Theory]
    [InlineData(375, 812)]
    [InlineData(1280, 900)]
    public async Task The_previews_draw_the_email_in_its_frame_beside_the_text_and_fit_the_screen(int width, int height)
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), smtpPort: null);
        using var browser = Chromium.Start(width, height);
        browser.Navigate().GoToUrl($"{host.BaseUrl}/admin/login");
        browser.FindElement(By.Id("email")).SendKeys(TestHost.AdminEmail);
        browser.FindElement(By.Id("password")).SendKeys(TestHost.AdminPassword);
        browser.FindElement(By.CssSelector("form button[type=submit]")).Click();
        Chromium.WaitForHeading(browser, "Bootcamp admin");

        foreach (var (email, discreet) in new[] { ("day1", "off"), ("day1", "on"), ("confirmation", "off"), ("finished", "on") })
        {
            browser.Navigate().GoToUrl($"{host.BaseUrl}/admin/lessons?email={email}&discreet={discreet}");
            var heading = Chromium.WaitForHeading(browser, "Emails");
            var text = browser.FindElement(By.CssSelector("pre.text-part")).Text;
            var overflow = Chromium.HorizontalOverflow(browser);
            var frame = browser.FindElement(By.CssSelector("iframe.email-frame"));
            var (framePlace, frameWidth) = (frame.Location, frame.Size.Width);
            var textPlace = browser.FindElement(By.CssSelector("pre.text-part")).Location;
            Chromium.SaveScreenshot(browser, $"admin-lessons-{width}-{email}-{(discreet == "on" ? "discreet" : "normal")}");
            browser.SwitchTo().Frame(frame);
            var drawn = browser.FindElement(By.TagName("body")).Text;
            browser.SwitchTo().DefaultContent();

            Assert.Equal("Emails", heading);
            Assert.True(overflow <= 0, $"{email}: the page is {overflow}px wider than the window");
            if (width < 700)
            {
                // A phone: the text under the HTML, the frame as wide as the screen allows.
                Assert.True(textPlace.Y > framePlace.Y, $"{email}: the text part is not under the HTML");
                Assert.True(frameWidth >= width - 100, $"{email}: the frame is only {frameWidth}px wide");
            }
            else
            {
                Assert.Equal(framePlace.Y, textPlace.Y);
                Assert.True(textPlace.X >= framePlace.X + frameWidth, $"{email}: the text part is not beside the HTML");
            }
            Assert.False(string.IsNullOrWhiteSpace(text));
            // The frame holds the email itself: its HTML says what its text part says.
            var firstLine = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            Assert.Contains(firstLine, drawn, StringComparison.OrdinalIgnoreCase);
        }
    }
}
