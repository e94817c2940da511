using static Bootcamp.IntegrationTests.Hosting.HttpForms;
using System.Net;
using System.Text.Json;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>What one person's page knows: each lesson due and sent with the mail server's own answer, and why a bounced reader gets nothing.</summary>
public sealed class EnrollmentTimelineTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_timeline_shows_each_lesson_due_and_the_mail_servers_answer_to_the_send_and_to_a_resend(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=1.00:00:00");
        var reader = new Subscriber(host, sink, $"timeline-{provider}@example.org");
        await reader.JoinAsync(timeZone: "Asia/Tokyo");
        var lesson1 = (await reader.WaitForLessonsAsync(1))[0];
        var id = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Id).SingleAsync());
        using var admin = await AdminClient.SignInAsync(host);

        // The sink's 250 comes before the sender records the lesson sent: wait for the record, as an admin would reload.
        var page = await Eventually.ReturnsAsync(async () => WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/enrollments/{id}")),
            p => p.Contains("Day 1 sent", StringComparison.Ordinal), what: "Day 1 to be recorded sent");
        using var api = JsonDocument.Parse(await admin.GetStringAsync($"/admin/api/enrollments?email={Uri.EscapeDataString(reader.Email)}"));
        using var resent = await admin.PostAsync($"/admin/enrollments/{id}", Form(("__af", AdminClient.AntiforgeryToken(page)), ("action", "resend"), ("day", "1")));
        var again = (await reader.WaitForLessonsAsync(2))[1];
        var afterResend = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/enrollments/{id}"));

        Assert.Matches(@"\b4[0-9A-F]{3}\b", lesson1.QueueId);
        Assert.Contains($"Day 1 sent, {lesson1.Message.MessageId}; the mail server answered: 250 2.0.0 Ok: queued as {lesson1.QueueId}", page);
        Assert.Matches(@"Day 1 due at \d\d:\d\d \w+ \d+ \w+ \(Asia/Tokyo\) = \d\d:\d\d UTC", page);
        // Days 2 to 7 at the reader's send time, 08:00 in Tokyo (23:00 UTC the day before).
        for (var day = 2; day <= 7; day++)
        {
            Assert.Matches($@"Day {day} due at 08:00 \w+ \d+ \w+ \(Asia/Tokyo\) = 23:00 UTC", page);
        }
        var day1 = api.RootElement.GetProperty("lessons")[0];
        Assert.Equal($"250 2.0.0 Ok: queued as {lesson1.QueueId}", day1.GetProperty("smtpReply").GetString());
        Assert.Equal(JsonValueKind.Null, api.RootElement.GetProperty("lessons")[1].GetProperty("smtpReply").ValueKind);
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.Contains($"queued as {again.QueueId}", WebUtility.HtmlDecode(await resent.Content.ReadAsStringAsync()));
        Assert.NotEqual(lesson1.QueueId, again.QueueId);
        Assert.Contains($"Day 1 sent again by an admin; the mail server answered: 250 2.0.0 Ok: queued as {again.QueueId}", afterResend);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Why_not_names_the_bounce_code_and_date_of_a_suppressed_reader(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=1.00:00:00");
        var gone = new Subscriber(host, sink, $"gone-{provider}@example.org");
        await gone.SignUpAsync();
        var confirmation = await gone.WaitForConfirmationAsync();
        var firstDay = DateTime.UtcNow.Date;
        sink.RejectRecipient(gone.Email, 550, "5.1.1", "No such user");
        using (var confirmed = await host.Http.PostAsync(confirmation.Message.Link("/confirm/"), null))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        var id = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == gone.Email).Select(e => e.Id).SingleAsync());
        using var admin = await AdminClient.SignInAsync(host);

        var page = await Eventually.ReturnsAsync(async () => WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/enrollments/{id}")),
            p => p.Contains("Suppressed:", StringComparison.Ordinal), what: "the bounce to be recorded");

        // The bounce's date is the day it happened: today, or yesterday if the test ran across midnight (UTC).
        var suppressed = System.Text.RegularExpressions.Regex.Match(page, @"Suppressed: hard bounce 5\.1\.1 \(Day 1\) on (?<day>\d{4}-\d\d-\d\d) \(\d\d:\d\d \w+ \d+ \w+ \(Europe/Paris\) = \d\d:\d\d UTC\); Day 2 and later will never be sent\.");
        Assert.True(suppressed.Success, "the page says the reader is suppressed, with the code and the day");
        Assert.Contains(suppressed.Groups["day"].Value, new[] { firstDay, DateTime.UtcNow.Date }.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Empty(gone.Lessons);
    }
}
