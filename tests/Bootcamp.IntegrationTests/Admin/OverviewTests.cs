using System.Net;
using System.Text.Json;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>The overview at /admin over a small list whose every figure is known, on both providers.</summary>
public sealed class OverviewTests
{
    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task The_overview_counts_what_readers_did_and_filters_it(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=1.00:00:00");
        var reader = new Subscriber(host, sink, "reader@example.org");
        var proxied = new Subscriber(host, sink, "proxied@example.org");
        var untracked = new Subscriber(host, sink, "untracked@example.org");
        var leaver = new Subscriber(host, sink, "leaver@example.org");
        var discreet = new Subscriber(host, sink, "discreet@example.org");
        await new Subscriber(host, sink, "pending@example.org").SignUpAsync();
        await reader.JoinAsync();
        await proxied.JoinAsync();
        await untracked.JoinAsync(noTracking: true);
        await leaver.JoinAsync();
        await discreet.JoinAsync(discreet: true);
        var readerLesson = (await reader.WaitForLessonsAsync(1))[0].Message;
        var proxiedLesson = (await proxied.WaitForLessonsAsync(1))[0].Message;
        var leaverLesson = (await leaver.WaitForLessonsAsync(1))[0].Message;
        await untracked.WaitForLessonsAsync(1);
        await discreet.WaitForLessonsAsync(1);

        await MailClients.GetAsync(host, readerLesson.Link("/t/o/"), MailClients.Browser);
        await MailClients.GetAsync(host, readerLesson.Links("/t/c/")[0], MailClients.Browser);
        (await host.Http.PostAsync(readerLesson.Link("/d/"), null)).Dispose();
        await MailClients.GetAsync(host, proxiedLesson.Link("/t/o/"), MailClients.Machine);
        (await host.Http.PostAsync(leaverLesson.Link("/u/"), null)).Dispose();

        using var admin = await AdminClient.SignInAsync(host);
        var json = await Eventually.ReturnsAsync(() => admin.GetStringAsync("/admin/api/overview"),
            text => Day(text, 1).GetProperty("openedByMachineOnly").GetInt64() == 1, what: "the machine open to be counted");
        using var page = await admin.GetAsync("/admin");
        var html = await page.Content.ReadAsStringAsync();
        var discreetOnly = await admin.GetStringAsync("/admin/api/overview?discreet=yes");
        var left = await admin.GetStringAsync("/admin/api/overview?status=unsubscribed&range=90");

        Assert.Equal([6, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0], Funnel(json));
        var day1 = Day(json, 1);
        Assert.Equal(5, day1.GetProperty("sent").GetInt64());
        Assert.Equal(1, day1.GetProperty("openedByPerson").GetInt64());
        Assert.Equal(1, day1.GetProperty("openedByMachineOnly").GetInt64());
        Assert.Equal(1, day1.GetProperty("unknown").GetInt64());
        Assert.Equal(1, day1.GetProperty("clicked").GetInt64());
        Assert.Equal(1, day1.GetProperty("stepDone").GetInt64());
        Assert.Equal(1, day1.GetProperty("leftAfter").GetInt64());
        Assert.Equal(0, day1.GetProperty("bounced").GetInt64());
        var today = Root(json).GetProperty("trend").EnumerateArray().Last();
        Assert.Equal(6, today.GetProperty("signedUp").GetInt64());
        Assert.Equal(5, today.GetProperty("confirmed").GetInt64());
        var thisWeek = Root(json).GetProperty("cohorts")[0];
        Assert.Equal(5, thisWeek.GetProperty("confirmed").GetInt64());
        Assert.Equal(0.2, thisWeek.GetProperty("days")[0].GetProperty("stepDone").GetDouble(), 3);
        Assert.Equal(1.0, thisWeek.GetProperty("days")[0].GetProperty("stillEnrolled").GetDouble(), 3);
        var delivery = Root(json).GetProperty("delivery");
        Assert.Equal(5, delivery.GetProperty("sentLast24h").GetInt64());
        Assert.Equal(0, delivery.GetProperty("inFlight").GetInt64());
        Assert.Equal("smtp", delivery.GetProperty("pool").GetProperty("mode").GetString());

        Assert.Equal([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], Funnel(discreetOnly));
        Assert.Equal([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], Funnel(left));
        Assert.True(Root(left).GetProperty("countedLive").GetBoolean());
        Assert.Equal(1, Day(left, 1).GetProperty("leftAfter").GetInt64());

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Contains("<h1>Overview</h1>", html);
        Assert.Contains("among readers who allowed tracking", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"counts\":[6,5,5,0,0,0,0,0,0,0,0]", html);
        Assert.Contains("href=\"/admin/jobs\"", html);
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task The_overview_sends_visitors_to_the_login_and_refuses_filters_it_does_not_know(string provider)
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), smtpPort: null);
        using var signedOut = await host.Http.GetAsync("/admin");
        using var apiSignedOut = await host.Http.GetAsync("/admin/api/overview");
        using var admin = await AdminClient.SignInAsync(host);
        using var empty = await admin.GetAsync("/admin?range=90&status=active&discreet=no");

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/admin/login", signedOut.Headers.Location?.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, apiSignedOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        foreach (var (query, field) in new[] { ("range=7", "range"), ("status=sleeping", "status"), ("discreet=maybe", "discreet"), ("range=30&status=1", "status") })
        {
            using var page = await admin.GetAsync("/admin?" + query);
            using var api = await admin.GetAsync("/admin/api/overview?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.Contains(field + ":", await page.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
            Assert.Contains($"\"{field}\"", await api.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Nothing_under_admin_is_cached()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), smtpPort: null);
        using var admin = await AdminClient.SignInAsync(host);
        foreach (var path in new[] { "/admin/login", "/admin", "/admin/api/overview", "/admin/api/stats", "/admin/enrollments", "/admin/enrollments.csv", "/admin/jobs" })
        {
            using var response = await admin.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        }
    }

    private static JsonElement Root(string json) => JsonDocument.Parse(json).RootElement;

    private static long[] Funnel(string json) => [.. Root(json).GetProperty("funnel").EnumerateArray().Select(s => s.GetProperty("count").GetInt64())];

    private static JsonElement Day(string json, int day) => Root(json).GetProperty("days").EnumerateArray().First(d => d.GetProperty("day").GetInt32() == day);
}
