using static Bootcamp.IntegrationTests.Hosting.HttpForms;
using System.Net;
using System.Text.Json;
using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>Two acts on one enrollment: send a lesson again (the reader really gets it), and download the person's data.</summary>
public sealed class ResendAndExportTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_resent_lesson_reaches_the_reader_again_under_its_message_id_marked_as_a_resend_and_is_not_counted(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=01:00:00");
        var reader = new Subscriber(host, sink, $"resend-{provider}@example.org");
        await reader.JoinAsync();
        var original = (await reader.WaitForLessonsAsync(1))[0].Message;
        var id = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Id).SingleAsync());
        using var admin = await AdminClient.SignInAsync(host);
        var token = AdminClient.AntiforgeryToken(await admin.GetStringAsync($"/admin/enrollments/{id}"));

        using var forged = await admin.PostAsync($"/admin/enrollments/{id}", Form(("action", "resend"), ("day", "1")));
        using var dayEight = await admin.PostAsync($"/admin/enrollments/{id}", Form(("__af", token), ("action", "resend"), ("day", "8")));
        using var noDay = await admin.PostAsync($"/admin/enrollments/{id}", Form(("__af", token), ("action", "resend")));
        using var notYetSent = await admin.PostAsync($"/admin/enrollments/{id}", Form(("__af", token), ("action", "resend"), ("day", "2")));
        using var resent = await admin.PostAsync($"/admin/enrollments/{id}", Form(("__af", token), ("action", "resend"), ("day", "1")));
        var lessons = await reader.WaitForLessonsAsync(2);
        var again = lessons[1].Message;
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/enrollments/{id}"));
        var lesson1 = await host.QueryAsync(db => db.Lessons.AsNoTracking().SingleAsync(l => l.EnrollmentId == id && l.Day == 1));
        var sentEvents = await host.QueryAsync(db => db.Outbox.CountAsync(o => o.EnrollmentId == id && o.Type == CourseEvents.LessonSent));
        using var stats = JsonDocument.Parse(await admin.GetStringAsync("/admin/api/stats"));
        using var unknown = await admin.PostAsync("/admin/enrollments/987654", Form(("__af", token), ("action", "resend"), ("day", "1")));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, dayEight.StatusCode);
        Assert.Contains("day: a lesson's day, a whole number from 1 to 7", WebUtility.HtmlDecode(await dayEight.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, noDay.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notYetSent.StatusCode);
        Assert.Contains("Day 2 is scheduled, not sent or failed", WebUtility.HtmlDecode(await notYetSent.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.Contains("the mail server accepted it", WebUtility.HtmlDecode(await resent.Content.ReadAsStringAsync()));
        Assert.Equal(2, reader.Lessons.Count);
        Assert.Equal(1, lessons[1].Day());
        Assert.Equal(original.MessageId, again.MessageId);
        Assert.Equal(original.Subject, again.Subject);
        Assert.False(string.IsNullOrEmpty(again.ResentMessageId));
        Assert.NotEqual(again.MessageId, again.ResentMessageId);
        Assert.NotNull(again.Headers["Resent-Date"]);
        Assert.Equal(original.From.ToString(), again.ResentFrom.ToString());
        Assert.False(original.Headers.Contains("Resent-Message-Id"));
        Assert.StartsWith($"<{host.BaseUrl}/u/", again.Headers["List-Unsubscribe"]);
        Assert.Contains("Day 1 sent again by an admin", page);
        Assert.Equal((1, lesson1.SentAt is not null, (DateTime?)null), (lesson1.Resends, lesson1.ResentAt is not null, lesson1.ResendClaimedAt));
        Assert.Equal(1, sentEvents);
        Assert.Equal(1, stats.RootElement.GetProperty("lessons").EnumerateArray().Single(d => d.GetProperty("day").GetInt32() == 1).GetProperty("sent").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        // On record: the one resend that went, and each refused try, with the admin and the enrollment.
        var resends = await host.QueryAsync(db => db.Audit.Where(a => a.Action == Bootcamp.Admin.Audit.AuditActions.Resend).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([("not-allowed", "day=2", (long?)id), ("done", "day=1", id), ("not-found", "day=1", (long?)987654)], resends.Select(a => (a.Outcome, a.Detail, a.EnrollmentId)));
        Assert.All(resends, a => Assert.Equal(TestHost.AdminEmail, a.AdminEmail));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task An_export_holds_everything_stored_about_the_person_and_is_gone_once_they_are_erased(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=01:00:00");
        var reader = new Subscriber(host, sink, $"export-{provider}@example.org");
        await reader.JoinAsync(timeZone: "Asia/Tokyo");
        var lesson = (await reader.WaitForLessonsAsync(1))[0].Message;
        var id = await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == reader.Email).Select(e => e.Id).SingleAsync());
        // A person reads before marking the step done; the sender records a chunk as sent a moment after the mail
        // server took it, and a test that clicks at once could be first.
        await Eventually.ReturnsAsync(() => host.QueryAsync(db => db.Lessons.AnyAsync(l => l.EnrollmentId == id && l.Day == 1 && l.State == LessonState.Sent)),
            sent => sent, TimeSpan.FromSeconds(30), "Day 1 recorded as sent");
        (await host.Http.PostAsync(lesson.Link("/d/"), null)).Dispose();
        using var admin = await AdminClient.SignInAsync(host);
        using var anonymous = AdminClient.Create(host);

        var page = await admin.GetStringAsync($"/admin/enrollments/{id}");
        var token = AdminClient.AntiforgeryToken(page);
        using var export = await admin.PostAsync($"/admin/enrollments/{id}.json", Form(("__af", token)));
        using var json = JsonDocument.Parse(await export.Content.ReadAsStringAsync());
        using var forged = await admin.PostAsync($"/admin/enrollments/{id}.json", Form(("x", "")));
        using var byLink = await admin.GetAsync($"/admin/enrollments/{id}.json");
        var byLinkPage = WebUtility.HtmlDecode(await byLink.Content.ReadAsStringAsync());
        using var signedOut = await anonymous.PostAsync($"/admin/enrollments/{id}.json", Form(("x", "")));
        var exports = await host.QueryAsync(db => db.Audit.Where(a => a.Action == Bootcamp.Admin.Audit.AuditActions.ExportJson).ToListAsync());
        var ask = await admin.GetStringAsync($"/admin/enrollments/{id}?ask=erase");
        (await admin.PostAsync($"/admin/enrollments/{id}", Form(("__af", AdminClient.AntiforgeryToken(ask)), ("action", "erase")))).Dispose();
        using var afterErasure = await admin.PostAsync($"/admin/enrollments/{id}.json", Form(("__af", token)));

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"enrollment-{id}.json", export.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.True(export.Headers.CacheControl?.NoStore);
        var person = json.RootElement;
        Assert.Equal(reader.Email, person.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, person.GetProperty("suppression").ValueKind);
        var enrollment = person.GetProperty("enrollments").EnumerateArray().Single();
        Assert.Equal(id, enrollment.GetProperty("id").GetInt64());
        Assert.Equal("active", enrollment.GetProperty("status").GetString());
        Assert.Equal("Asia/Tokyo", enrollment.GetProperty("timeZone").GetString());
        Assert.False(enrollment.GetProperty("discreet").GetBoolean());
        Assert.True(enrollment.GetProperty("tracking").GetBoolean());
        var consent = enrollment.GetProperty("consent");
        Assert.Equal("api", consent.GetProperty("source").GetString());
        Assert.False(string.IsNullOrEmpty(consent.GetProperty("textVersion").GetString()));
        Assert.EndsWith("Z", consent.GetProperty("confirmedAt").GetString());
        var lessons = enrollment.GetProperty("lessons").EnumerateArray().ToList();
        Assert.Equal(7, lessons.Count);
        Assert.Equal("sent", lessons[0].GetProperty("state").GetString());
        Assert.Equal(lesson.MessageId, lessons[0].GetProperty("messageId").GetString());
        Assert.EndsWith("Z", lessons[0].GetProperty("sentAt").GetString());
        Assert.NotEqual(JsonValueKind.Null, lessons[0].GetProperty("stepDoneAt").ValueKind);
        Assert.Equal("scheduled", lessons[1].GetProperty("state").GetString());
        Assert.Contains(enrollment.GetProperty("trackingEvents").EnumerateArray(), e => e.GetProperty("kind").GetString() == "done" && e.GetProperty("day").GetInt32() == 1);
        var courseEvents = enrollment.GetProperty("courseEvents").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["enrollment.confirmed", "lesson.sent", "lesson.completed"], courseEvents);
        Assert.Equal(HttpStatusCode.Found, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterErasure.StatusCode);
        // The page offers the export as a form posting to it, with the token, not as a link.
        Assert.Matches($"""<form method="post" action="/admin/enrollments/{id}.json"[^>]*>\s*<input type="hidden" name="__af" """, page);
        Assert.DoesNotContain($"href=\"/admin/enrollments/{id}.json\"", page);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, byLink.StatusCode);
        Assert.Equal(["POST"], byLink.Content.Headers.Allow);
        Assert.DoesNotContain(reader.Email, byLinkPage);
        Assert.Contains("The export is a button now", byLinkPage);
        Assert.Contains($"<a href=\"/admin/enrollments/{id}\">", byLinkPage);
        // Only the download that went is on record (not the forged POST, not the GET), with the admin and the enrollment.
        var entry = Assert.Single(exports);
        Assert.Equal((TestHost.AdminEmail, (long?)id, "done"), (entry.AdminEmail, entry.EnrollmentId, entry.Outcome));
    }
}
