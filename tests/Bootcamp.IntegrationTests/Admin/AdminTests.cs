using System.Net;
using System.Text.Json;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.IntegrationTests.Admin;

public sealed class AdminTests : IAsyncLifetime
{
    private SmtpSink _sink = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        _host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), _sink.Port, "--Campaign:DayLength=1.00:00:00", "--Admin:MaxFailedSignIns=3");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/jobs")]
    [InlineData("/admin/jobs/recurring")]
    public async Task Admin_pages_send_visitors_who_are_not_signed_in_to_the_login(string path)
    {
        using var response = await _host.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/login", response.Headers.Location?.PathAndQuery);
    }

    [Theory]
    [InlineData("/admin/api/stats")]
    [InlineData("/admin/api/enrollments?email=a@example.org")]
    public async Task The_admin_api_answers_401_to_programs_that_are_not_signed_in(string path)
    {
        using var response = await _host.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_admin_sees_the_dashboard_the_jobs_and_a_subscribers_lessons()
    {
        var reader = new Subscriber(_host, _sink, "Looked.Up@example.org");
        await reader.JoinAsync(timeZone: "America/New_York");
        await reader.WaitForLessonsAsync(1);
        using var admin = await AdminClient.SignInAsync(_host);

        using var home = await admin.GetAsync("/admin");
        using var jobs = await admin.GetAsync("/admin/jobs");
        var found = await Eventually.ReturnsAsync(() => admin.GetStringAsync("/admin/api/enrollments?email=looked.up@example.org"),
            json => json.Contains("\"sentAt\":\"20", StringComparison.Ordinal));
        using var detail = JsonDocument.Parse(found);
        using var missing = await admin.GetAsync("/admin/api/enrollments?email=nobody@example.org");
        using var noEmail = await admin.GetAsync("/admin/api/enrollments");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        Assert.Equal("active", detail.RootElement.GetProperty("status").GetString());
        var lessons = detail.RootElement.GetProperty("lessons");
        Assert.Equal(7, lessons.GetArrayLength());
        Assert.EndsWith("Z", lessons[0].GetProperty("sentAt").GetString());
        Assert.Equal(JsonValueKind.Null, lessons[1].GetProperty("sentAt").ValueKind);
        Assert.EndsWith("Z", lessons[1].GetProperty("dueAt").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noEmail.StatusCode);
    }

    [Fact]
    public async Task Stats_follow_the_contracts_shape()
    {
        using var admin = await AdminClient.SignInAsync(_host);
        using var stats = JsonDocument.Parse(await admin.GetStringAsync("/admin/api/stats"));

        var enrollments = stats.RootElement.GetProperty("enrollments");
        foreach (var key in new[] { "pending", "active", "finished", "completed", "unsubscribed", "bounced" })
        {
            Assert.Equal(JsonValueKind.Number, enrollments.GetProperty(key).ValueKind);
        }
        var days = stats.RootElement.GetProperty("lessons").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], days.Select(d => d.GetProperty("day").GetInt32()));
        foreach (var key in new[] { "sent", "opened", "machineOpened", "clicked", "completed" })
        {
            Assert.Equal(JsonValueKind.Number, days[0].GetProperty(key).ValueKind);
        }
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        using var client = AdminClient.Create(_host);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await AdminClient.PostLoginAsync(client, TestHost.AdminEmail, "wrong password " + i);
            statuses.Add(wrong.StatusCode);
        }
        using var right = await AdminClient.PostLoginAsync(client, TestHost.AdminEmail, TestHost.AdminPassword);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("try again later", await right.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_login_form_refuses_a_post_without_its_antiforgery_token()
    {
        using var response = await _host.Http.PostAsync("/admin/login", new FormUrlEncodedContent([new("email", TestHost.AdminEmail), new("password", TestHost.AdminPassword)]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
