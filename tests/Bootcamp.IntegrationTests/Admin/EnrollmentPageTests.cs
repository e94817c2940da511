using static Bootcamp.IntegrationTests.Hosting.HttpForms;
using System.Net;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>One person's page: the timeline, "why not?", and actions behind antiforgery that go through the record.</summary>
public sealed class EnrollmentPageTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task An_admin_sees_why_the_next_lesson_waits_pauses_the_reader_and_erases_them(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=01:00:00");
        var reader = new Subscriber(host, sink, $"looked-up-{provider}@example.org");
        await reader.JoinAsync(timeZone: "Asia/Tokyo");
        await reader.WaitForLessonsAsync(1);
        var id = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Id).SingleAsync());
        using var admin = await AdminClient.SignInAsync(host);
        using var anonymous = AdminClient.Create(host);

        var page = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/enrollments/{id}"));
        using var forged = await admin.PostAsync($"/admin/enrollments/{id}", Form(("action", "pause"), ("days", "3")));
        using var paused = await admin.PostAsync($"/admin/enrollments/{id}", Form(("__af", AdminClient.AntiforgeryToken(page)), ("action", "pause"), ("days", "3")));
        var pausedPage = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/enrollments/{id}"));
        var status = await host.QueryAsync(db => db.Enrollments.Where(e => e.Id == id).Select(e => e.Status).SingleAsync());
        var ask = await admin.GetStringAsync($"/admin/enrollments/{id}?ask=erase");
        using var erased = await admin.PostAsync($"/admin/enrollments/{id}", Form(("__af", AdminClient.AntiforgeryToken(ask)), ("action", "erase")));
        using var gone = await admin.GetAsync($"/admin/enrollments/{id}");
        using var signedOut = await anonymous.GetAsync($"/admin/enrollments/{id}");

        Assert.Contains(reader.Email, page);
        Assert.Contains("Confirmed", page);
        Assert.Contains("Day 1 sent", page);
        Assert.Matches(@"Day 2 is due at \d\d:\d\d .* \(Asia/Tokyo\) = \d\d:\d\d UTC, in ", page);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal(EnrollmentStatus.Paused, status);
        Assert.Contains("Day 2 waits: paused until", pausedPage);
        Assert.Contains("Paused", pausedPage);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.Found, signedOut.StatusCode);
        Assert.Equal((0, 1), await host.QueryAsync(async db => (await db.Enrollments.CountAsync(), await db.Suppressions.CountAsync())));
    }
}
