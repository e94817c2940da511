using Bootcamp.Delivery;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bootcamp.Lessons;

/// <summary>What the sender needs to know about a finished note and its reader; read in one query per batch.</summary>
public sealed record FinishedNoteToSend(long EnrollmentId, int Attempts, string Email, string? FirstName, bool Discreet);

/// <summary>
/// Enrollment → model → rendered → MIME for the "you finished" note. No I/O. Unlike a lesson it gets no
/// tokens at all: no pixel, no tracked links, no "done" link, and no List-Unsubscribe, as nothing follows it.
/// </summary>
public sealed class FinishedNoteComposer(IEmailRenderer renderer, MessageFactory messages, IOptions<CampaignOptions> campaign)
{
    private readonly CampaignOptions _campaign = campaign.Value;

    public async ValueTask<OutgoingMessage> ComposeAsync(FinishedNoteToSend note)
    {
        var rendered = await RenderAsync(note.FirstName, note.Discreet);
        return messages.Build(note.Email, note.Discreet, rendered, messages.FinishedNoteMessageId(note.EnrollmentId, note.Discreet), unsubscribeUrl: null);
    }

    /// <summary>The note's words for a reader; it holds no token, so the admins' preview and test render the real thing.</summary>
    public ValueTask<RenderedEmail> RenderAsync(string? firstName, bool discreet) =>
        renderer.RenderFinishedAsync(new FinishedEmailModel
        {
            FirstName = firstName,
            Discreet = discreet,
            SenderName = messages.Sender(discreet).Name ?? string.Empty,
            PostalAddress = _campaign.PostalAddress ?? string.Empty,
            BaseUrl = _campaign.BaseUrlFor(discreet),
            CrisisLine = _campaign.CrisisLine,
        });
}
