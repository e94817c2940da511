using System.Net;
using Bootcamp.Admin.Audit;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bootcamp.IntegrationTests.Hosting.HttpForms;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>Viewers read masked lists and are refused every action; operators act, and each action is in the audit log.</summary>
public sealed class RolesAndAuditTests
{
    private const string ViewerEmail = "viewer@example.org";
    private const string ViewerPassword = "viewer password 1";

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_viewer_sees_masked_addresses_and_is_refused_every_action_and_export(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=01:00:00");
        var reader = new Subscriber(host, sink, $"reader-{provider}@example.org");
        await reader.JoinAsync();
        await reader.WaitForLessonsAsync(1);
        var id = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Id).SingleAsync());
        using var operatorClient = await AdminClient.SignInAsync(host);
        await AdminClient.AddAdminAsync(operatorClient, ViewerEmail, ViewerPassword, "viewer");
        using var viewer = await AdminClient.SignInAsync(host, ViewerEmail, ViewerPassword);

        var list = WebUtility.HtmlDecode(await viewer.GetStringAsync("/admin/enrollments"));
        var exact = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/admin/enrollments?q={Uri.EscapeDataString(reader.Email)}"));
        var detail = WebUtility.HtmlDecode(await viewer.GetStringAsync($"/admin/enrollments/{id}"));
        using var home = await viewer.GetAsync("/admin");
        using var stats = await viewer.GetAsync("/admin/api/stats");
        // A token the viewer really holds (their own account page has forms): the refusal is the role's, not antiforgery's.
        var token = AdminClient.AntiforgeryToken(await viewer.GetStringAsync("/admin/account"));
        var refused = new Dictionary<string, HttpStatusCode>();
        foreach (var (action, extra) in new[] { ("pause", ("days", "2")), ("resume", ("x", "")), ("unsubscribe", ("x", "")), ("erase", ("x", "")), ("resend", ("day", "1")) })
        {
            using var response = await viewer.PostAsync($"/admin/enrollments/{id}", Form(("__af", token), ("action", action), extra));
            refused["POST " + action] = response.StatusCode;
        }
        foreach (var path in new[] { "/admin/enrollments.csv", "/admin/audit", "/admin/audit.csv", "/admin/admins", $"/admin/api/enrollments?email={reader.Email}", "/admin/jobs" })
        {
            using var response = await viewer.GetAsync(path);
            refused["GET " + path] = response.StatusCode;
        }
        using (var response = await viewer.PostAsync("/admin/admins", Form(("__af", token), ("action", "add"), ("email", "new@example.org"), ("password", "long enough 1"), ("role", "operator"))))
        {
            refused["POST /admin/admins"] = response.StatusCode;
        }
        using (var response = await viewer.PostAsync($"/admin/enrollments/{id}.json", Form(("__af", token))))
        {
            refused["POST /admin/enrollments/{id}.json"] = response.StatusCode;
            Assert.DoesNotContain(reader.Email, await response.Content.ReadAsStringAsync());
        }
        using (var response = await viewer.PostAsync("/admin/lessons/test", Form(("__af", token), ("email", "day1"), ("discreet", "off"))))
        {
            refused["POST /admin/lessons/test"] = response.StatusCode;
        }
        using (var response = await AdminClient.DeleteAsync(viewer, $"/admin/api/enrollments?email={reader.Email}"))
        {
            refused["DELETE /admin/api/enrollments"] = response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        // No link a viewer would only be refused at (Hangfire's dashboard is for operators).
        Assert.DoesNotContain("href=\"/admin/jobs\"", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.DoesNotContain(reader.Email, list);
        Assert.Contains($"r•••@example.org", list);
        // The search box shows what the viewer typed; the row found shows it masked.
        Assert.DoesNotContain($"<td>{reader.Email}</td>", exact);
        Assert.Contains($"<td>r•••@example.org</td>", exact);
        Assert.DoesNotContain("enrollments.csv", list);
        Assert.DoesNotContain(reader.Email, detail);
        Assert.Contains("Timeline", detail);
        Assert.DoesNotContain("Pause", detail);
        Assert.All(refused, r => Assert.True(r.Value == HttpStatusCode.Forbidden, $"{r.Key} answered {(int)r.Value}"));
        var status = await host.QueryAsync(db => db.Enrollments.Where(e => e.Id == id).Select(e => e.Status).SingleAsync());
        Assert.Equal(Bootcamp.Domain.EnrollmentStatus.Active, status);
        var viewerActions = await host.QueryAsync(db => db.Audit.Where(a => a.AdminEmail == ViewerEmail).Select(a => a.Action).ToListAsync());
        Assert.Equal([AuditActions.SignIn, AuditActions.ViewEnrollment], viewerActions.Order());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task An_operators_every_action_changes_the_record_and_writes_its_audit_entry_and_the_csv_lists_them(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=01:00:00");
        var reader = new Subscriber(host, sink, $"acted-on-{provider}@example.org");
        await reader.JoinAsync();
        await reader.WaitForLessonsAsync(1);
        var id = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Id).SingleAsync());
        using var admin = await AdminClient.SignInAsync(host);
        var page = $"/admin/enrollments/{id}";

        var exact = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/enrollments?q={Uri.EscapeDataString(reader.Email)}"));
        using var paused = await AdminClient.PostFormAsync(admin, page, page, ("action", "pause"), ("days", "2"));
        var statusAfterPause = await StatusAsync(host, id);
        using var resumed = await AdminClient.PostFormAsync(admin, page, page, ("action", "resume"));
        var statusAfterResume = await StatusAsync(host, id);
        using var unsubscribed = await AdminClient.PostFormAsync(admin, page, page, ("action", "unsubscribe"));
        var statusAfterUnsubscribe = await StatusAsync(host, id);
        using var csv = await admin.GetAsync("/admin/enrollments.csv");
        using var erased = await AdminClient.PostFormAsync(admin, page + "?ask=erase", page, ("action", "erase"));
        var left = await host.QueryAsync(db => db.Enrollments.CountAsync(e => e.Id == id));
        var auditCsv = await admin.GetStringAsync($"/admin/audit.csv?enrollment={id}");
        var auditPage = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/audit?admin={TestHost.AdminEmail.ToUpperInvariant()}"));

        Assert.Contains(reader.Email, exact);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal(Bootcamp.Domain.EnrollmentStatus.Paused, statusAfterPause);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal(Bootcamp.Domain.EnrollmentStatus.Active, statusAfterResume);
        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        Assert.Equal(Bootcamp.Domain.EnrollmentStatus.Unsubscribed, statusAfterUnsubscribe);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(0, left);

        string[] actions = [AuditActions.Pause, AuditActions.Resume, AuditActions.Unsubscribe, AuditActions.Erase];
        var entries = await host.QueryAsync(db => db.Audit.Where(a => a.EnrollmentId == id && actions.Contains(a.Action)).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([AuditActions.Pause, AuditActions.Resume, AuditActions.Unsubscribe, AuditActions.Erase], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((TestHost.AdminEmail, "done", "127.0.0.1"), (e.AdminEmail, e.Outcome, e.ClientKey)));
        Assert.Equal("days=2", entries[0].Detail);
        var export = await host.QueryAsync(db => db.Audit.SingleAsync(a => a.Action == AuditActions.ExportCsv));
        Assert.Equal((TestHost.AdminEmail, (long?)null), (export.AdminEmail, export.EnrollmentId));

        // The CSV: a header, then this enrollment's entries newest first (the views between the actions included), the
        // export itself first: it is on record before its first row is written.
        var lines = auditCsv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,at,admin_id,admin_email,action,enrollment_id,client,outcome,detail", lines[0]);
        var rows = lines[1..].Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.Equal((TestHost.AdminEmail, id.ToString(System.Globalization.CultureInfo.InvariantCulture)), (r[3], r[5])));
        Assert.Equal([AuditActions.AuditExported, AuditActions.Erase, AuditActions.Unsubscribe, AuditActions.Resume, AuditActions.Pause],
            rows.Select(r => r[4]).Where(a => a != AuditActions.ViewEnrollment));
        Assert.Equal(rows.Select(r => long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)).OrderDescending(), rows.Select(r => long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", rows[0][1]);
        Assert.Contains(AuditActions.SignIn, auditPage);
        Assert.Contains(AuditActions.ExportCsv, auditPage);
        Assert.DoesNotContain(reader.Email, auditCsv + auditPage);
    }

    [Fact]
    public async Task The_audit_page_pages_newest_first_by_keyset_and_names_a_bad_filter()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), smtpPort: null);
        using var admin = await AdminClient.SignInAsync(host);
        using var guesser = AdminClient.Create(host);
        for (var i = 0; i < 4; i++)
        {
            using var _ = await AdminClient.PostLoginAsync(guesser, "someone@example.org", "wrong password");
        }

        var pages = new List<string>();
        for (var url = "/admin/audit?limit=2"; url.Length > 0;)
        {
            var page = WebUtility.HtmlDecode(await admin.GetStringAsync(url));
            pages.Add(page);
            url = System.Text.RegularExpressions.Regex.Match(page, "href=\"(?<url>/admin/audit\\?[^\"]*)\" rel=\"next\"").Groups["url"].Value;
        }
        using var bad = await admin.GetAsync("/admin/audit?enrollment=abc");

        // Five entries, two a page: the four failures (newest) first, the sign-in last.
        Assert.Equal(3, pages.Count);
        Assert.Equal([2, 2, 0], pages.Select(p => System.Text.RegularExpressions.Regex.Matches(p, "<td>sign-in-failed</td>").Count));
        Assert.Contains("<td>sign-in</td>", pages[2]);
        Assert.Contains("<td>someone@example.org</td>", pages[0]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("enrollment:", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));
    }

    private static Task<Bootcamp.Domain.EnrollmentStatus> StatusAsync(TestHost host, long id) =>
        host.QueryAsync(db => db.Enrollments.Where(e => e.Id == id).Select(e => e.Status).SingleAsync());
}
