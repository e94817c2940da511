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

    /// <param name="resentHeaders">Set when an admin sends the lesson again (<see cref="MessageFactory.ResentHeaders"/>): same message, same Message-ID.</param>
    public async ValueTask<ComposedLesson> ComposeAsync(LessonToSend lesson, string? resentHeaders = null)
    {
        // Built moments before it is sent: the tracker tells prefetches on delivery from reads by this time.
        var builtAt = (time ?? TimeProvider.System).GetUtcNow();
        var baseUrl = _campaign.BaseUrlFor(lesson.Discreet);
        var unsubscribeUrl = $"{baseUrl}/u/{tokens.Create(TokenPurpose.Unsubscribe, lesson.EnrollmentId)}";
        var model = Model(lesson, new ReaderLinks(
            Done: $"{baseUrl}/d/{tokens.Create(TokenPurpose.Done, lesson.LessonId)}",
            Unsubscribe: unsubscribeUrl,
            Manage: $"{baseUrl}/m/{tokens.Create(TokenPurpose.Manage, lesson.EnrollmentId)}",
            Pixel: lesson.NoTracking ? null : $"{baseUrl}/t/o/{tokens.Create(TokenPurpose.Open, lesson.LessonId, issuedAt: builtAt)}",
            Tracked: lesson.NoTracking ? null : index => $"{baseUrl}/t/c/{tokens.Create(TokenPurpose.Click, lesson.LessonId, index, builtAt)}"));
        var rendered = await renderer.RenderLessonAsync(model);
        var messageId = messages.LessonMessageId(lesson.EnrollmentId, lesson.Day, lesson.Discreet);
        var message = messages.Build(lesson.Email, lesson.Discreet, rendered, messageId, unsubscribeUrl, resentHeaders);
        return new ComposedLesson(message, messageId, model.Links, returnPaths?.EnvelopeSenderFor(lesson.LessonId));
    }

    /// <summary>
    /// A lesson for no real reader (the admins' preview and test): untracked, no pixel, and reader links that
    /// carry <paramref name="placeholder"/> instead of a token, so they open nothing.
    /// </summary>
    public ValueTask<RenderedEmail> RenderSampleAsync(LessonToSend reader, string placeholder)
    {
        var baseUrl = _campaign.BaseUrlFor(reader.Discreet);
        return renderer.RenderLessonAsync(Model(reader with { NoTracking = true }, new ReaderLinks(
            Done: $"{baseUrl}/d/{placeholder}", Unsubscribe: $"{baseUrl}/u/{placeholder}", Manage: $"{baseUrl}/m/{placeholder}", Pixel: null, Tracked: null)));
    }

    /// <summary>The reader's own links in a lesson; <see cref="Tracked"/> null: content links stay as they are.</summary>
    private sealed record ReaderLinks(string Done, string Unsubscribe, string Manage, string? Pixel, Func<int, string>? Tracked);

    private LessonEmailModel Model(LessonToSend lesson, ReaderLinks links) => new(links.Tracked)
    {
        Day = lesson.Day,
        FirstName = lesson.FirstName,
        Discreet = lesson.Discreet,
        SenderName = messages.Sender(lesson.Discreet).Name ?? string.Empty,
        PostalAddress = _campaign.PostalAddress ?? string.Empty,
        BaseUrl = _campaign.BaseUrlFor(lesson.Discreet),
        SendAtLocal = lesson.SendAt ?? _campaign.SendAt,
        TimeZone = lesson.TimeZone,
        Stage = lesson.Stage,
        DoneUrl = links.Done,
        UnsubscribeUrl = links.Unsubscribe,
        ManageUrl = links.Manage,
        PixelUrl = links.Pixel,
        CrisisLine = _campaign.CrisisLine,
        FinishedNoteFollows = _campaign.FinishedNote,
    };
}
