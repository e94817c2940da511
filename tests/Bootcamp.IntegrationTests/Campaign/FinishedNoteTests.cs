using System.Net;
using System.Text.Json;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Bootcamp.IntegrationTests.Campaign;

/// <summary>The "you finished" note, through the real host and a real SMTP server: once, after lesson 7, and never after leaving.</summary>
public sealed class FinishedNoteTests
{
    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task After_the_seventh_lesson_exactly_one_finished_note_arrives_and_it_is_no_lesson(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port);
        var reader = new Subscriber(host, sink, $"finisher-{provider}@example.org".ToLowerInvariant());
        var discreet = new Subscriber(host, sink, $"quiet-finisher-{provider}@example.org".ToLowerInvariant());

        await Task.WhenAll(reader.JoinAsync(), discreet.JoinAsync(discreet: true));
        await Task.WhenAll(reader.WaitForFinishedNoteAsync(), discreet.WaitForFinishedNoteAsync());
        await SevenDayCampaignTests.WaitUntilNothingIsLeftToSendAsync(host);

        foreach (var (subscriber, from) in new[] { (reader, "bootcamp@localhost"), (discreet, "notes@localhost") })
        {
            var mail = subscriber.AllMail;
            Assert.Equal([1, 2, 3, 4, 5, 6, 7], subscriber.Lessons.Select(m => m.Day()));
            var note = Assert.Single(subscriber.FinishedNotes);
            // Confirmation, seven lessons, then the note: nothing else, and the note last.
            Assert.Equal(9, mail.Count);
            Assert.Same(note, mail[^1]);

            var message = note.Message;
            Assert.Equal("multipart/alternative", message.Body!.ContentType.MimeType);
            Assert.NotNull(message.TextBody);
            Assert.NotNull(message.HtmlBody);
            Assert.False(string.IsNullOrEmpty(message.MessageId));
            Assert.DoesNotContain(message.MessageId, subscriber.Lessons.Select(l => l.Message.MessageId));
            Assert.NotEqual(default, message.Date);
            Assert.Equal(from, message.From.Mailboxes.Single().Address);
            Assert.False(string.IsNullOrEmpty(message.Headers["List-Id"]));
            Assert.False(message.Headers.Contains("List-Unsubscribe"));
            Assert.False(message.Headers.Contains("List-Unsubscribe-Post"));
            Assert.DoesNotMatch(@"(?i)\b(day|note|lesson) \d", message.Subject);
            foreach (var part in new[] { message.TextBody!, message.HtmlBody! })
            {
                // No pixel, no tracked link, no "done" or unsubscribe link: nothing that points back at the service.
                Assert.DoesNotContain(host.BaseUrl, part);
                Assert.DoesNotContain("/t/", part);
                Assert.DoesNotContain("/d/", part);
                Assert.DoesNotContain("/u/", part);
                Assert.Contains("1 Test Street, Testville", part);
            }
        }

        var record = await host.QueryAsync(db => db.Enrollments.AsNoTracking().Include(e => e.Lessons).SingleAsync(e => e.EmailKey == reader.Email));
        Assert.Equal((EnrollmentStatus.Finished, LessonState.Sent), (record.Status, record.FinishedNoteState));
        // Demo spacing: one DayLength (a second here) after lesson 7 went out.
        var seventh = record.Lessons.Single(l => l.Day == Domain.Campaign.LessonCount).SentAt!.Value;
        Assert.InRange(record.FinishedNoteDueAt!.Value - seventh, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        // It is not a lesson: two readers finished, each day was sent twice, and nothing else moved.
        using var admin = await AdminClient.SignInAsync(host);
        using var stats = JsonDocument.Parse(await admin.GetStringAsync("/admin/api/stats"));
        Assert.Equal(2, stats.RootElement.GetProperty("enrollments").GetProperty("finished").GetInt32());
        var days = stats.RootElement.GetProperty("lessons").EnumerateArray().ToList();
        Assert.Equal(Domain.Campaign.LessonCount, days.Count);
        Assert.All(days, day => Assert.Equal(2, day.GetProperty("sent").GetInt32()));
        // The admin's look-up shows seven lessons and, beside them, the note.
        using var detail = JsonDocument.Parse(await admin.GetStringAsync($"/admin/api/enrollments?email={reader.Email}"));
        Assert.Equal(Domain.Campaign.LessonCount, detail.RootElement.GetProperty("lessons").GetArrayLength());
        Assert.Equal("sent", detail.RootElement.GetProperty("finishedNote").GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_reader_who_unsubscribes_after_lesson_seven_and_before_the_note_gets_no_note(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        // Whole days: the note waits for 08:00 tomorrow in Paris, so the reader has time to leave; the test moves the clock of the record.
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--Campaign:DayLength=1.00:00:00");
        var leaver = new Subscriber(host, sink, $"leaves-after-seven-{provider}@example.org".ToLowerInvariant());
        var stayer = new Subscriber(host, sink, $"stays-after-seven-{provider}@example.org".ToLowerInvariant());
        await Task.WhenAll(leaver.JoinAsync(), stayer.JoinAsync());
        await Task.WhenAll(leaver.WaitForLessonsAsync(1), stayer.WaitForLessonsAsync(1));
        // Lessons 2–7 fall due now; the dispatcher sends them one after another, in order.
        await host.QueryAsync(db => db.Lessons.Where(l => l.Day > 1).ExecuteUpdateAsync(s => s.SetProperty(l => l.DueAt, DateTime.UtcNow.AddDays(-1))));
        var lastLesson = (await leaver.WaitForLessonsAsync(Domain.Campaign.LessonCount))[^1].Message;
        await stayer.WaitForLessonsAsync(Domain.Campaign.LessonCount);
        var planned = await Eventually.ReturnsAsync(() => NotesAsync(host), notes => notes.All(n => n.State == LessonState.Scheduled), what: "both notes to be planned");
        foreach (var note in planned)
        {
            // 08:00 in the reader's zone, on the local day after lesson 7 went out.
            var due = InParis(note.DueAt);
            Assert.Equal(new LocalTime(8, 0), due.TimeOfDay);
            Assert.Equal(InParis(note.SeventhSentAt).Date.PlusDays(1), due.Date);
        }

        using (var response = await host.Http.PostAsync(lastLesson.Link("/u/"), null))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        // Tomorrow morning comes early: both notes fall due now.
        await host.QueryAsync(db => db.Enrollments.ExecuteUpdateAsync(s => s.SetProperty(e => e.FinishedNoteDueAt, DateTime.UtcNow.AddMinutes(-1))));
        await stayer.WaitForFinishedNoteAsync();
        await SevenDayCampaignTests.WaitUntilNothingIsLeftToSendAsync(host);

        Assert.Empty(leaver.FinishedNotes);
        Assert.Equal(8, leaver.AllMail.Count);
        Assert.Single(stayer.FinishedNotes);
        var left = await host.QueryAsync(db => db.Enrollments.SingleAsync(e => e.EmailKey == leaver.Email));
        Assert.Equal((EnrollmentStatus.Finished, LessonState.Skipped), (left.Status, left.FinishedNoteState));
        Assert.NotNull(left.UnsubscribedAt);
    }

    private sealed record PlannedNote(LessonState? State, DateTime? DueAt, DateTime? SeventhSentAt);

    private static Task<List<PlannedNote>> NotesAsync(TestHost host) =>
        host.QueryAsync(db => db.Enrollments.AsNoTracking()
            .Select(e => new PlannedNote(e.FinishedNoteState, e.FinishedNoteDueAt,
                e.Lessons.Where(l => l.Day == Domain.Campaign.LessonCount).Select(l => l.SentAt).FirstOrDefault()))
            .ToListAsync());

    private static ZonedDateTime InParis(DateTime? utc) =>
        Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc!.Value, DateTimeKind.Utc)).InZone(DateTimeZoneProviders.Tzdb["Europe/Paris"]);
}
