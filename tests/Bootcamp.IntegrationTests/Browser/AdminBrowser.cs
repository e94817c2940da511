using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Bootcamp.IntegrationTests.Browser;

/// <summary>A headless Chromium signed in to the admin area, and a list of whom the tests seed into it.</summary>
public static class AdminBrowser
{
    /// <summary>Every admin page an admin reaches, to check each one (e.g. with axe). {id}: a seeded enrollment's id.</summary>
    public static readonly IReadOnlyList<string> Pages =
    [
        "/admin/login",
        "/admin",
        "/admin?range=90&status=active&discreet=no",
        "/admin/enrollments",
        "/admin/enrollments?q=reader%40example.org",
        "/admin/enrollments/{id}",
        "/admin/enrollments/{id}?ask=erase",
        // An answer in the admin layout: a person not there (a 404 page).
        "/admin/enrollments/987654",
        "/admin/lessons",
        "/admin/audit",
        "/admin/admins",
        "/admin/account",
    ];

    /// <summary>A reader who got lesson 1 and did its step, and a sign-up not yet confirmed: something in every chart.</summary>
    public static async Task<long> SeedAsync(TestHost host, SmtpSink sink)
    {
        var reader = new Subscriber(host, sink, "reader@example.org");
        await reader.JoinAsync();
        var lesson = (await reader.WaitForLessonsAsync(1))[0].Message;
        (await host.Http.PostAsync(lesson.Link("/d/"), null)).Dispose();
        await new Subscriber(host, sink, "pending@example.org").SignUpAsync();
        return await host.QueryAsync(db => Task.FromResult(db.Enrollments.Where(e => e.EmailKey == "reader@example.org").Select(e => e.Id).Single()));
    }

    public static ChromeDriver SignIn(TestHost host, int width, int height = 900)
    {
        var browser = Chromium.Start(width, height);
        browser.Navigate().GoToUrl(host.BaseUrl + "/admin/login");
        browser.FindElement(By.Id("email")).SendKeys(TestHost.AdminEmail);
        browser.FindElement(By.Id("password")).SendKeys(TestHost.AdminPassword);
        browser.FindElement(By.CssSelector("button[type=submit]")).Click();
        Chromium.WaitForHeading(browser, "Overview");
        return browser;
    }
}
