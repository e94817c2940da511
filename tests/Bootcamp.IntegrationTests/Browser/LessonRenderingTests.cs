using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Bootcamp.Lessons;
using OpenQA.Selenium;

namespace Bootcamp.IntegrationTests.Browser;

/// <summary>
/// Every email as a phone (375 px) and a desktop (800 px) shows it, in headless Chromium: screenshots
/// for people to look at (TestResults/screenshots), and a check that nothing is wider than the phone.
/// </summary>
public sealed class LessonRenderingTests
{
    private const string BaseUrl = "https://bootcamp.example";

    [Fact]
    public async Task Every_email_fits_a_phone_screen_and_is_captured_at_375_and_800_pixels()
    {
        var renderer = new TemplateRenderer(TemplateRenderer.LocateTemplatesDirectory(RepositoryRoot.Path));
        await renderer.CompileAllAsync();
        var pages = new List<(string Name, string Html)>
        {
            ("confirm", (await renderer.RenderConfirmAsync(new ConfirmEmailModel
            {
                FirstName = "Sam", SenderName = "Surviving Infidelity Bootcamp", PostalAddress = "1 Test Street, Testville",
                BaseUrl = BaseUrl, ConfirmUrl = BaseUrl + "/confirm/CfDJ8token", ExpiresIn = "2 days",
            })).Html),
        };
        foreach (var discreet in new[] { false, true })
        {
            for (var day = 1; day <= Domain.Campaign.LessonCount; day++)
            {
                var html = (await renderer.RenderLessonAsync(new LessonEmailModel(index => $"{BaseUrl}/t/c/CfDJ8click{index}")
                {
                    Day = day, FirstName = "Sam", Discreet = discreet, SenderName = discreet ? "Daily Notes" : "Surviving Infidelity Bootcamp",
                    PostalAddress = "1 Test Street, Testville", BaseUrl = BaseUrl, SendAtLocal = "08:00", TimeZone = "Europe/Paris",
                    DoneUrl = BaseUrl + "/d/CfDJ8done", UnsubscribeUrl = BaseUrl + "/u/CfDJ8unsubscribe", ManageUrl = BaseUrl + "/m/CfDJ8manage", PixelUrl = BaseUrl + "/t/o/CfDJ8open",
                    CrisisLine = "988 (call or text, in the US)",
                })).Html;
                pages.Add(($"day{day}{(discreet ? "-discreet" : "")}", html));
            }
            pages.Add(($"finished{(discreet ? "-discreet" : "")}", (await renderer.RenderFinishedAsync(new FinishedEmailModel
            {
                FirstName = "Sam", Discreet = discreet, SenderName = discreet ? "Daily Notes" : "Surviving Infidelity Bootcamp",
                PostalAddress = "1 Test Street, Testville", BaseUrl = BaseUrl, CrisisLine = "988 (call or text, in the US)",
            })).Html));
        }

        var folder = Directory.CreateDirectory(TestScratch.NewPath("emails")).FullName;
        var tooWide = new List<string>();
        foreach (var width in new[] { 375, 800 })
        {
            using var browser = Chromium.Start(width, 900);
            foreach (var (name, html) in pages)
            {
                var file = Path.Combine(folder, name + ".html");
                await File.WriteAllTextAsync(file, html);
                browser.Navigate().GoToUrl(new Uri(file).AbsoluteUri);
                Chromium.SaveScreenshot(browser, $"email-{name}-{width}");
                var overflow = Chromium.HorizontalOverflow(browser);
                if (overflow > 0)
                {
                    tooWide.Add($"{name} at {width}px: {overflow}px too wide");
                }
            }
        }

        Assert.Empty(tooWide);
    }
}
