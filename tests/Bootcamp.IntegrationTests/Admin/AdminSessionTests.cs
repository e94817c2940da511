using System.Net;
using Bootcamp.IntegrationTests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>Sessions end when the account goes, when its password changes elsewhere, and at their absolute lifetime.</summary>
public sealed class AdminSessionTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_removed_admin_is_signed_out_at_their_next_request_and_a_role_change_applies_at_once(string provider)
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), smtpPort: null);
        using var operatorClient = await AdminClient.SignInAsync(host);
        await AdminClient.AddAdminAsync(operatorClient, "leaving@example.org", "leaving password", "viewer");
        using var leaving = await AdminClient.SignInAsync(host, "leaving@example.org", "leaving password");
        var id = await host.QueryAsync(db => Task.FromResult(db.Admins.Single(a => a.Email == "leaving@example.org").Id));

        using var before = await leaving.GetAsync("/admin/audit");
        using var promoted = await AdminClient.PostFormAsync(operatorClient, "/admin/admins", "/admin/admins", ("action", "role"), ("id", $"{id}"), ("role", "operator"));
        using var asOperator = await leaving.GetAsync("/admin/audit");
        using var removed = await AdminClient.PostFormAsync(operatorClient, "/admin/admins", "/admin/admins", ("action", "remove"), ("id", $"{id}"));
        using var after = await leaving.GetAsync("/admin");
        using var api = await leaving.GetAsync("/admin/api/stats");
        var audit = await host.QueryAsync(db => Task.FromResult(db.Audit.Where(a => a.Action.StartsWith("admin-") || a.Action == "role-changed").OrderBy(a => a.Id).Select(a => a.Action + " " + a.Detail).ToList()));

        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, promoted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, removed.StatusCode);
        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
        Assert.StartsWith("/admin/login", after.Headers.Location?.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(["admin-added leaving@example.org as viewer", "role-changed leaving@example.org: viewer to operator", "admin-removed leaving@example.org"], audit);
    }

    [Fact]
    public async Task Changing_ones_password_needs_the_current_one_and_ends_the_other_sessions_but_not_this_one()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), smtpPort: null);
        using var operatorClient = await AdminClient.SignInAsync(host);
        await AdminClient.AddAdminAsync(operatorClient, "changer@example.org", "first password", "viewer");
        using var laptop = await AdminClient.SignInAsync(host, "changer@example.org", "first password");
        using var phone = await AdminClient.SignInAsync(host, "changer@example.org", "first password");

        using var wrongCurrent = await AdminClient.PostFormAsync(laptop, "/admin/account", "/admin/account/password", ("current", "not it"), ("password", "second password"), ("confirm", "second password"));
        using var tooShort = await AdminClient.PostFormAsync(laptop, "/admin/account", "/admin/account/password", ("current", "first password"), ("password", "short"), ("confirm", "short"));
        using var changed = await AdminClient.PostFormAsync(laptop, "/admin/account", "/admin/account/password", ("current", "first password"), ("password", "second password"), ("confirm", "second password"));
        using var laptopAfter = await laptop.GetAsync("/admin/account");
        using var phoneAfter = await phone.GetAsync("/admin/account");
        using var oldPassword = await AdminClient.PostLoginAsync(AdminClient.Create(host), "changer@example.org", "first password");
        using var newPassword = await AdminClient.PostLoginAsync(AdminClient.Create(host), "changer@example.org", "second password");

        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.Contains("current:", await wrongCurrent.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("password:", await tooShort.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.SeeOther, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, laptopAfter.StatusCode);
        Assert.Contains("Your password is changed", await laptop.GetStringAsync(changed.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.Found, phoneAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, newPassword.StatusCode);
        var outcomes = await host.QueryAsync(db => Task.FromResult(db.Audit.Where(a => a.Action == "password-changed").OrderBy(a => a.Id).Select(a => a.Outcome).ToList()));
        Assert.Equal(["refused", "done"], outcomes);
    }

    [Fact]
    public async Task A_busy_session_still_ends_at_its_absolute_lifetime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartWithAsync(b => b.Services.AddSingleton<TimeProvider>(clock),
            await TestStorage.CreateAsync("Sqlite"), smtpPort: null, "--Admin:SessionLifetime=12:00:00", "--Admin:IdleTimeout=12:00:00");
        using var admin = await AdminClient.SignInAsync(host);

        var answers = new List<(TimeSpan At, HttpStatusCode Status)>();
        // A request every 3 hours: each past half the idle time would renew a sliding cookie; none may carry it past 12 h.
        foreach (var at in new[] { 3, 6.5, 9, 11.9, 12.1 }.Select(TimeSpan.FromHours))
        {
            clock.SetUtcNow(clock.Start + at);
            using var response = await admin.GetAsync("/admin/account");
            answers.Add((at, response.StatusCode));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Found], answers.Select(a => a.Status));
    }
}
