using System.Net;
using System.Text.Json;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Admin;

public sealed class StatsAndErasureTests
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Stats_count_what_readers_really_did(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=1.00:00:00");
        var reader = new Subscriber(host, sink, $"reads-{provider}@example.org");
        var proxied = new Subscriber(host, sink, $"proxied-{provider}@example.org");
        var leaver = new Subscriber(host, sink, $"leaves-{provider}@example.org");
        await new Subscriber(host, sink, $"pending-{provider}@example.org").SignUpAsync();
        foreach (var s in new[] { reader, proxied, leaver })
        {
            await s.JoinAsync();
        }
        var readerLesson = (await reader.WaitForLessonsAsync(1))[0].Message;
        var proxiedLesson = (await proxied.WaitForLessonsAsync(1))[0].Message;
        var leaverLesson = (await leaver.WaitForLessonsAsync(1))[0].Message;

        await GetAsync(host, Pixel(readerLesson), Browser);
        await GetAsync(host, readerLesson.Links("/t/c/")[0], Browser);
        (await host.Http.PostAsync(readerLesson.Link("/d/"), null)).Dispose();
        await GetAsync(host, Pixel(proxiedLesson), "Mozilla/5.0");
        (await host.Http.PostAsync(leaverLesson.Link("/u/"), null)).Dispose();

        using var admin = await AdminClient.SignInAsync(host);
        var json = await Eventually.ReturnsAsync(() => admin.GetStringAsync("/admin/api/stats"),
            text => Day1(text).GetProperty("machineOpened").GetInt32() == 1, what: "the machine open to be recorded");
        using var stats = JsonDocument.Parse(json);
        var enrollments = stats.RootElement.GetProperty("enrollments");
        var day1 = Day1(json);

        Assert.Equal(1, enrollments.GetProperty("pending").GetInt32());
        Assert.Equal(2, enrollments.GetProperty("active").GetInt32());
        Assert.Equal(1, enrollments.GetProperty("unsubscribed").GetInt32());
        Assert.Equal(0, enrollments.GetProperty("completed").GetInt32());
        Assert.Equal(3, day1.GetProperty("sent").GetInt32());
        Assert.Equal(1, day1.GetProperty("opened").GetInt32());
        Assert.Equal(1, day1.GetProperty("machineOpened").GetInt32());
        Assert.Equal(1, day1.GetProperty("clicked").GetInt32());
        Assert.Equal(1, day1.GetProperty("completed").GetInt32());
    }

    [Fact]
    public async Task Erasing_a_person_deletes_their_record_but_keeps_them_suppressed()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Postgres"), sink.Port, "--Campaign:DayLength=1.00:00:00");
        var reader = new Subscriber(host, sink, "erase-me@example.org");
        await reader.JoinAsync();
        await reader.WaitForLessonsAsync(1);
        using var admin = await AdminClient.SignInAsync(host);

        using var erased = await AdminClient.DeleteAsync(admin, "/admin/api/enrollments?email=Erase-Me@example.org");
        using var lookup = await admin.GetAsync("/admin/api/enrollments?email=erase-me@example.org");
        sink.Reset();
        await reader.SignUpAsync();
        var barrier = new Subscriber(host, sink, "after-erasure@example.org");
        await barrier.SignUpAsync();
        await barrier.WaitForConfirmationAsync();

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        Assert.Equal(0, await host.QueryAsync(db => db.Lessons.CountAsync()));
        Assert.Equal(1, await host.QueryAsync(db => db.Enrollments.CountAsync()));
        var suppression = await host.QueryAsync(db => db.Suppressions.SingleAsync());
        Assert.DoesNotContain("erase-me", suppression.AddressHash);
        Assert.Empty(reader.AllMail);
    }

    private static string Pixel(MimeKit.MimeMessage lesson) =>
        lesson.Link("/t/o/");

    private static async Task GetAsync(TestHost host, string url, string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var response = await host.Http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Found, $"{url} answered {response.StatusCode}");
    }

    private static JsonElement Day1(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("lessons").EnumerateArray().First(d => d.GetProperty("day").GetInt32() == 1);
}
