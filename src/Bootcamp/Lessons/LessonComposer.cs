using Bootcamp.Bounces;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bootcamp.Lessons;

/// <summary>What the sender needs to know about a lesson and its reader; read in one query per batch.</summary>
public sealed record LessonToSend(long LessonId, int Day, int Attempts, long EnrollmentId, string Email, string? FirstName, string TimeZone, bool Discreet, bool NoTracking, int SoftBounces = 0, string? SendAt = null, Stage? Stage = null);

/// <summary>A built lesson: the message, the content links its click tokens point at, and its envelope sender (VERP; null: the From address).</summary>
public sealed record ComposedLesson(OutgoingMessage Message, string MessageId, IReadOnlyList<string> Links, MailboxAddress? EnvelopeSender = null);

/// <summary>Lesson row → model with tokens → rendered → MIME. No I/O.</summary>
public sealed class LessonComposer(IEmailRenderer renderer, MessageFactory messages, LinkTokens tokens, IOptions<CampaignOptions> campaign, TimeProvider? time = null, ReturnPaths? returnPaths = null)
{
    private readonly CampaignOptions _campaign = campaign.Value;

    public async ValueTask<ComposedLesson> ComposeAsync(LessonToSend lesson)
    {
        // Built moments before it is sent: the tracker tells prefetches on delivery from reads by this time.
        var builtAt = (time ?? TimeProvider.System).GetUtcNow();
        var baseUrl = _campaign.BaseUrlFor(lesson.Discreet);
        var unsubscribeUrl = $"{baseUrl}/u/{tokens.Create(TokenPurpose.Unsubscribe, lesson.EnrollmentId)}";
        Func<int, string>? trackedLink = lesson.NoTracking
            ? null
            : index => $"{baseUrl}/t/c/{tokens.Create(TokenPurpose.Click, lesson.LessonId, index, builtAt)}";
        var model = new LessonEmailModel(trackedLink)
        {
            Day = lesson.Day,
            FirstName = lesson.FirstName,
            Discreet = lesson.Discreet,
            SenderName = messages.Sender(lesson.Discreet).Name ?? string.Empty,
            PostalAddress = _campaign.PostalAddress ?? string.Empty,
            BaseUrl = baseUrl,
            SendAtLocal = lesson.SendAt ?? _campaign.SendAt,
            TimeZone = lesson.TimeZone,
            Stage = lesson.Stage,
            DoneUrl = $"{baseUrl}/d/{tokens.Create(TokenPurpose.Done, lesson.LessonId)}",
            UnsubscribeUrl = unsubscribeUrl,
            ManageUrl = $"{baseUrl}/m/{tokens.Create(TokenPurpose.Manage, lesson.EnrollmentId)}",
            PixelUrl = lesson.NoTracking ? null : $"{baseUrl}/t/o/{tokens.Create(TokenPurpose.Open, lesson.LessonId, issuedAt: builtAt)}",
            CrisisLine = _campaign.CrisisLine,
            FinishedNoteFollows = _campaign.FinishedNote,
        };
        var rendered = await renderer.RenderLessonAsync(model);
        var messageId = messages.LessonMessageId(lesson.EnrollmentId, lesson.Day, lesson.Discreet);
        var message = messages.Build(lesson.Email, lesson.Discreet, rendered, messageId, unsubscribeUrl);
        return new ComposedLesson(message, messageId, model.Links, returnPaths?.EnvelopeSenderFor(lesson.LessonId));
    }
}
