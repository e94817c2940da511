using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's headless Chromium driven through its own chromedriver (no driver download: the machine
/// has no internet). Screenshots go to TestResults/screenshots for CI to keep.
/// </summary>
public static class Chromium
{
    public static readonly string ScreenshotDirectory = Path.Combine(Hosting.RepositoryRoot.Path, "TestResults", "screenshots");

    public static ChromeDriver Start(int width = 1024, int height = 900)
    {
        var binary = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed (apt-get install chromium chromium-driver).");
        var driverPath = File.Exists("/usr/bin/chromedriver") ? "/usr/bin" : throw new InvalidOperationException("chromedriver is not installed (apt-get install chromium-driver).");
        var service = ChromeDriverService.CreateDefaultService(driverPath, "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = binary };
        // The page's console (script errors, CSP refusals) for ConsoleErrors.
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
            $"--window-size={width},{height}", $"--user-data-dir={TestScratch.NewPath("chromium")}");
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        // FindElement waits for an element that a navigation is about to bring, instead of failing at once.
        driver.Manage().Timeouts().ImplicitWait = TimeSpan.FromSeconds(10);
        // Headless windows are at least 500 px wide; a phone's viewport has to be emulated.
        driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width,
            ["height"] = height,
            ["deviceScaleFactor"] = 1,
            ["mobile"] = width < 600,
        });
        return driver;
    }

    /// <summary>Waits, with a deadline, until the page's first heading reads <paramref name="text"/> (a submitted form navigates).</summary>
    public static string WaitForHeading(IWebDriver driver, string text)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            string heading;
            try
            {
                heading = driver.FindElement(By.TagName("h1")).Text;
            }
            catch (Exception e) when (PageChanged(e) && DateTime.UtcNow < until)
            {
                // The old page went away between finding the heading and reading it (or the new one has none yet): look again.
                Thread.Sleep(20);
                continue;
            }
            if (heading == text || DateTime.UtcNow > until)
            {
                return heading;
            }
            Thread.Sleep(50);
        }
    }

    // Chromium reports a node of a page it has just left as stale, or, when the navigation lands between its own
    // steps, as an inspector error that the node "does not belong to the document".
    private static bool PageChanged(Exception e) =>
        e is StaleElementReferenceException or NoSuchElementException
        || e is UnknownErrorException && e.Message.Contains("does not belong to the document", StringComparison.Ordinal);

    /// <summary>How many pixels the page is wider than the window: above zero, a phone scrolls sideways.</summary>
    public static long HorizontalOverflow(IWebDriver driver) =>
        (long)((IJavaScriptExecutor)driver).ExecuteScript("return document.documentElement.scrollWidth - window.innerWidth;")!;

    /// <summary>The console's errors since the last call (script errors, resources the CSP refused, failed loads).</summary>
    public static IReadOnlyList<string> ConsoleErrors(IWebDriver driver) =>
        [.. driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Severe).Select(e => e.Message)];

    public static void SaveScreenshot(IWebDriver driver, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(Path.Combine(ScreenshotDirectory, name + ".png"));
    }
}
