using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Bootcamp.IntegrationTests.Hosting;
using Microsoft.EntityFrameworkCore;
using static Bootcamp.IntegrationTests.Hosting.HttpForms;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>Sign-in under attack: every guess counted, one answer for every failure, a lock-out per client, limits, antiforgery everywhere.</summary>
public sealed partial class SignInHardeningTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Twenty_wrong_guesses_in_parallel_are_each_counted(string provider)
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), smtpPort: null, "--Admin:MaxFailedSignIns=100");
        using var client = AdminClient.Create(host);
        var token = AdminClient.AntiforgeryToken(await client.GetStringAsync("/admin/login"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await client.PostAsync("/admin/login", Form(("__af", token), ("email", TestHost.AdminEmail), ("password", $"guess {i}")));
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        var failures = await host.QueryAsync(db => db.SignInFailures.SingleAsync());
        Assert.Equal((TestHost.AdminEmail, "127.0.0.1", 20), (failures.EmailKey, failures.ClientKey, failures.Failures));
        Assert.Equal(20, await host.QueryAsync(db => db.Audit.CountAsync(a => a.Action == "sign-in-failed" && a.AdminEmail == TestHost.AdminEmail)));
    }

    [Fact]
    public async Task A_locked_account_and_an_unknown_one_get_the_same_answer_and_another_client_still_signs_in()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), smtpPort: null,
            "--Admin:MaxFailedSignIns=3", "--Forwarding:KnownProxies=127.0.0.1");
        using var attacker = AdminClient.Create(host);
        for (var i = 0; i < 3; i++)
        {
            using var _ = await PostLoginFromAsync(attacker, "203.0.113.5", TestHost.AdminEmail, "wrong " + i);
        }

        var locked = new List<(HttpStatusCode Status, string Body, TimeSpan Took)>();
        var unknown = new List<(HttpStatusCode Status, string Body, TimeSpan Took)>();
        for (var i = 0; i < 5; i++)
        {
            // The right password, from the locked-out client: refused like a stranger's address.
            locked.Add(await AnswerAsync(attacker, "203.0.113.5", TestHost.AdminEmail, TestHost.AdminPassword));
            unknown.Add(await AnswerAsync(attacker, "203.0.113.5", "nobody@example.org", TestHost.AdminPassword));
        }
        using var realAdmin = AdminClient.Create(host);
        using var fromElsewhere = await PostLoginFromAsync(realAdmin, "198.51.100.7", TestHost.AdminEmail, TestHost.AdminPassword);
        var lockedRow = await host.QueryAsync(db => db.SignInFailures.SingleAsync(f => f.ClientKey == "203.0.113.5" && f.EmailKey == TestHost.AdminEmail));

        Assert.All(locked.Concat(unknown), a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.Equal(Normal(locked[0].Body, TestHost.AdminEmail), Normal(unknown[0].Body, "nobody@example.org"));
        // Roughly the same time: each side's median within a factor of three of the other's (both verify a hash).
        var (lockedMedian, unknownMedian) = (Median(locked), Median(unknown));
        Assert.True(lockedMedian < unknownMedian * 3 && unknownMedian < lockedMedian * 3, $"locked {lockedMedian.TotalMilliseconds} ms, unknown {unknownMedian.TotalMilliseconds} ms");
        Assert.Equal(HttpStatusCode.SeeOther, fromElsewhere.StatusCode);
        // Locked for Admin:LockoutDuration (15 min by default) from the third failure; right guesses while locked count nothing.
        Assert.Equal(3, lockedRow.Failures);
        Assert.InRange(lockedRow.LockedUntil!.Value - lockedRow.LastFailureAt, TimeSpan.FromMinutes(14.9), TimeSpan.FromMinutes(15.1));
        Assert.Equal(5, await host.QueryAsync(db => db.Audit.CountAsync(a => a.Action == "sign-in-failed" && a.Outcome == "refused" && a.AdminEmail == TestHost.AdminEmail)));
    }

    [Fact]
    public async Task Sign_in_is_limited_per_client_and_overall()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), smtpPort: null,
            "--RateLimits:AdminSignInsPerClientPerMinute=3", "--RateLimits:AdminSignInsPerMinute=5", "--Admin:MaxFailedSignIns=100", "--Forwarding:KnownProxies=127.0.0.1");
        using var client = AdminClient.Create(host);

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await PostLoginFromAsync(client, "203.0.113.5", "someone@example.org", "guess");
            first.Add(response.StatusCode);
        }
        var second = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await PostLoginFromAsync(client, "198.51.100.7", "someone@example.org", "guess");
            second.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], first);
        // Three of the five the whole site may have went to the first client: the second gets two.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], second);
    }

    [Fact]
    public async Task Every_change_under_admin_without_its_antiforgery_token_is_refused()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), smtpPort: null);
        using var admin = await AdminClient.SignInAsync(host);
        var refused = new Dictionary<string, HttpStatusCode>();
        var answers = new Dictionary<string, string>();
        foreach (var (path, fields) in new (string, (string, string)[])[]
        {
            ("/admin/logout", []),
            ("/admin/admins", [("action", "add"), ("email", "sneaky@example.org"), ("password", "long enough 1"), ("role", "operator")]),
            ("/admin/account/password", [("current", TestHost.AdminPassword), ("password", "hijacked password"), ("confirm", "hijacked password")]),
            ("/admin/enrollments/1", [("action", "resume")]),
            ("/admin/enrollments/1.json", []),
        })
        {
            using var response = await admin.PostAsync(path, Form(fields));
            refused["POST " + path] = response.StatusCode;
            answers[path] = await response.Content.ReadAsStringAsync();
        }
        using (var delete = await admin.DeleteAsync("/admin/api/enrollments?email=a@example.org"))
        {
            refused["DELETE /admin/api/enrollments"] = delete.StatusCode;
        }
        using var stillSignedIn = await admin.GetAsync("/admin/account");
        using var signOut = await AdminClient.PostFormAsync(admin, "/admin/account", "/admin/logout");
        using var signedOut = await admin.GetAsync("/admin/account");

        Assert.All(refused, r => Assert.True(r.Value == HttpStatusCode.BadRequest, $"{r.Key} answered {(int)r.Value}"));
        // Each refusal is a page in the admin layout naming the field, with a link to where a fresh token is.
        Assert.All(answers, a => Assert.Equal((a.Key, "admin layout, navigation, sign-out", true),
            (a.Key, AdminPagesSweepTests.Layout(a.Value), WebUtility.HtmlDecode(a.Value).Contains("__af: the form's token is missing or stale", StringComparison.Ordinal))));
        Assert.Equal(
            ["/admin", "/admin/admins", "/admin/account", "/admin/enrollments/1", "/admin/enrollments/1"],
            answers.Values.Select(html => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector("main a")?.GetAttribute("href")));
        Assert.Equal(1, await host.QueryAsync(db => db.Admins.CountAsync()));
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Found, signedOut.StatusCode);
        Assert.Equal(1, await host.QueryAsync(db => db.Audit.CountAsync(a => a.Action == "sign-out")));
    }

    [Fact]
    public async Task The_session_cookie_is_secure_over_https_through_a_trusted_proxy_and_not_over_plain_http()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), smtpPort: null, "--Forwarding:KnownProxies=127.0.0.1");

        async Task<string> SessionCookieAsync(string? proto)
        {
            using var client = AdminClient.Create(host);
            var token = AdminClient.AntiforgeryToken(await client.GetStringAsync("/admin/login"));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/login")
            {
                Content = Form(("__af", token), ("email", TestHost.AdminEmail), ("password", TestHost.AdminPassword)),
            };
            if (proto is not null)
            {
                request.Headers.Add("X-Forwarded-Proto", proto);
                request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            }
            using var response = await client.SendAsync(request);
            return Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("bootcamp.admin=", StringComparison.Ordinal));
        }

        var https = await SessionCookieAsync("https");
        var http = await SessionCookieAsync(null);

        Assert.Contains("; secure", https, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", https, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", https, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", http.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<HttpResponseMessage> PostLoginFromAsync(HttpClient client, string clientAddress, string email, string password)
    {
        using var form = new HttpRequestMessage(HttpMethod.Get, "/admin/login");
        form.Headers.Add("X-Forwarded-For", clientAddress);
        using var page = await client.SendAsync(form);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/login")
        {
            Content = Form(("__af", AdminClient.AntiforgeryToken(await page.Content.ReadAsStringAsync())), ("email", email), ("password", password)),
        };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return await client.SendAsync(request);
    }

    private static async Task<(HttpStatusCode, string, TimeSpan)> AnswerAsync(HttpClient client, string clientAddress, string email, string password)
    {
        var watch = Stopwatch.StartNew();
        using var response = await PostLoginFromAsync(client, clientAddress, email, password);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body, watch.Elapsed);
    }

    /// <summary>The page without what differs by design: the address typed (echoed in the form) and the fresh antiforgery token.</summary>
    private static string Normal(string body, string email) =>
        AntiforgeryValue().Replace(body.Replace(email, "EMAIL", StringComparison.Ordinal), "TOKEN");

    private static TimeSpan Median(List<(HttpStatusCode Status, string Body, TimeSpan Took)> answers) =>
        answers.Select(a => a.Took).Order().ElementAt(answers.Count / 2);

    [GeneratedRegex("""name="__af" value="[^"]+" """)]
    private static partial Regex AntiforgeryValue();
}
