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
        var rendered = await renderer.RenderFinishedAsync(new FinishedEmailModel
        {
            FirstName = note.FirstName,
            Discreet = note.Discreet,
            SenderName = messages.Sender(note.Discreet).Name ?? string.Empty,
            PostalAddress = _campaign.PostalAddress ?? string.Empty,
            BaseUrl = _campaign.BaseUrlFor(note.Discreet),
            CrisisLine = _campaign.CrisisLine,
        });
        return messages.Build(note.Email, note.Discreet, rendered, messages.FinishedNoteMessageId(note.EnrollmentId, note.Discreet), unsubscribeUrl: null);
    }
}
