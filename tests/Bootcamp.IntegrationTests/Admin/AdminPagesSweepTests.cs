using System.Net;
using AngleSharp.Html.Parser;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>
/// Every admin page, swept: signed out, a person gets the sign-in page (a program calling the JSON API a 401); signed in
/// as an operator, each answers 200, and each HTML page, the sign-in page too, is in the admin layout.
/// </summary>
public sealed class AdminPagesSweepTests
{
    /// <summary>Every page an admin opens. {id}: an enrollment's; {email}: its address.</summary>
    private static readonly string[] Pages =
    [
        "/admin",
        "/admin/enrollments",
        "/admin/enrollments/{id}",
        "/admin/enrollments/{id}?ask=erase",
        "/admin/enrollments.csv",
        "/admin/lessons",
        "/admin/audit",
        "/admin/audit.csv",
        "/admin/admins",
        "/admin/account",
        "/admin/jobs",
        "/admin/api/stats",
        "/admin/api/enrollments?email={email}",
    ];

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Every_admin_page_sends_a_stranger_to_sign_in_and_answers_an_operator_in_the_admin_layout(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        using var logs = new FakeLoggerProvider();
        await using var host = await TestHost.StartLoggingToAsync(logs, await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=01:00:00");
        var reader = new Subscriber(host, sink, $"swept-{provider}@example.org");
        await reader.JoinAsync();
        var id = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Id).SingleAsync());
        var paths = Pages.Select(p => p.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Replace("{email}", Uri.EscapeDataString(reader.Email))).ToList();
        using var stranger = AdminClient.Create(host);
        using var admin = await AdminClient.SignInAsync(host);

        logs.Collector.Clear(); // start-up's own warnings (keys without a certificate) are not the pages'
        var signedOut = new List<string>();
        var signedIn = new List<string>();
        var layouts = new List<string>();
        foreach (var path in paths)
        {
            using (var response = await stranger.GetAsync(path))
            {
                var location = response.Headers.Location is { } l ? new Uri(new Uri(host.BaseUrl), l) : null;
                signedOut.Add($"{path} {(int)response.StatusCode} {location?.AbsolutePath}{(location is null ? "" : WebUtility.UrlDecode(location.Query))}");
            }
            using (var response = await admin.GetAsync(path))
            {
                signedIn.Add($"{path} {(int)response.StatusCode}");
                if (response.Content.Headers.ContentType?.MediaType == "text/html" && !path.StartsWith("/admin/jobs", StringComparison.Ordinal))
                {
                    layouts.Add($"{path} {Layout(await response.Content.ReadAsStringAsync())}");
                }
            }
        }
        // An operator's log stays quiet while admins read pages (antiforgery had warned on each page with a form).
        var warnings = logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning && r.Category?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true)
            .Select(r => $"{r.Category}: {r.Message}").Distinct().ToList();
        using var login = await stranger.GetAsync("/admin/login");
        var loginLayout = Layout(await login.Content.ReadAsStringAsync());
        using var staleLogin = await stranger.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = TestHost.AdminEmail, ["password"] = "x" }));
        var staleLoginPage = await staleLogin.Content.ReadAsStringAsync();

        // People are sent to sign in and come back where they were; programs calling the API get a status.
        Assert.Equal(paths.Select(p => p.StartsWith("/admin/api/", StringComparison.Ordinal) ? $"{p} 401 " : $"{p} 302 /admin/login?ReturnUrl={p}"), signedOut);
        Assert.Equal(paths.Select(p => $"{p} 200"), signedIn);
        Assert.Empty(warnings);
        // Hangfire's dashboard is a third party's page; every other HTML page is ours, in the one layout.
        Assert.Equal(paths.Where(p => !p.Contains(".csv", StringComparison.Ordinal) && !p.StartsWith("/admin/api/", StringComparison.Ordinal) && p != "/admin/jobs")
            .Select(p => $"{p} admin layout, navigation, sign-out"), layouts);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("admin layout, no navigation, no sign-out", loginLayout);
        // A sign-in form gone stale: refused in the same frame, with the way back to a fresh one.
        Assert.Equal(HttpStatusCode.BadRequest, staleLogin.StatusCode);
        Assert.Equal("admin layout, no navigation, no sign-out", Layout(staleLoginPage));
        Assert.Equal("/admin/login", new HtmlParser().ParseDocument(staleLoginPage).QuerySelector("main a")?.GetAttribute("href"));
    }

    /// <summary>Which frame a page is in, as a reader would tell: the admin body, its navigation, its sign-out button.</summary>
    internal static string Layout(string html)
    {
        var page = new HtmlParser().ParseDocument(html);
        var admin = page.Body?.ClassList.Contains("admin") == true && page.QuerySelector("main#content.admin-main") is not null;
        var navigation = page.QuerySelector("nav[aria-label=Admin] a[href='/admin/enrollments']") is not null;
        var signOut = page.QuerySelector("form[action='/admin/logout'] button") is not null;
        return $"{(admin ? "admin layout" : "another layout")}, {(navigation ? "navigation" : "no navigation")}, {(signOut ? "sign-out" : "no sign-out")}";
    }
}
