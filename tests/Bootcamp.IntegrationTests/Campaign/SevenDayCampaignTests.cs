using System.Net.Http.Json;
using System.Text.Json;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Campaign;

public sealed class SevenDayCampaignTests
{
    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_confirmed_subscriber_receives_seven_lessons_in_order_exactly_once(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port);
        var reader = new Subscriber(host, sink, $"reader-{provider}@example.org");

        await reader.JoinAsync();
        var lessons = await reader.WaitForLessonsAsync(Domain.Campaign.LessonCount);
        await WaitUntilNothingIsLeftToSendAsync(host);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], reader.Lessons.Select(m => m.Day()));
        Assert.Single(reader.AllMail.Confirmations());
        Assert.Equal(7, lessons.Select(m => m.Message.MessageId).Distinct().Count());
        foreach (var lesson in lessons)
        {
            var message = lesson.Message;
            Assert.Equal("multipart/alternative", message.Body!.ContentType.MimeType);
            Assert.NotNull(message.TextBody);
            Assert.NotNull(message.HtmlBody);
            Assert.StartsWith($"<{host.BaseUrl}/u/", message.Headers["List-Unsubscribe"]);
            Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
            Assert.False(string.IsNullOrEmpty(message.Headers["List-Id"]));
            Assert.Equal("bootcamp@localhost", message.From.Mailboxes.Single().Address);
            Assert.Contains($"{host.BaseUrl}/d/", message.HtmlBody);
            Assert.Contains("1 Test Street, Testville", message.TextBody);
        }

        using var stats = JsonDocument.Parse(await (await AdminClient.SignInAsync(host)).GetStringAsync("/admin/api/stats"));
        Assert.Equal(1, stats.RootElement.GetProperty("enrollments").GetProperty("finished").GetInt32());
        Assert.All(stats.RootElement.GetProperty("lessons").EnumerateArray(), day => Assert.Equal(1, day.GetProperty("sent").GetInt32()));
    }

    /// <summary>Every lesson, and every finished note, has reached a final state (sent, failed or skipped).</summary>
    internal static Task WaitUntilNothingIsLeftToSendAsync(TestHost host) =>
        Eventually.ReturnsAsync(
            () => host.QueryAsync(async db =>
                await db.Lessons.CountAsync(l => l.State == LessonState.Scheduled || l.State == LessonState.Claimed || l.State == LessonState.Sending)
                + await db.Enrollments.CountAsync(e => e.FinishedNoteState == LessonState.Scheduled || e.FinishedNoteState == LessonState.Claimed || e.FinishedNoteState == LessonState.Sending)),
            open => open == 0, what: "every lesson and finished note to reach a final state");
}
