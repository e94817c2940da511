using System.Security.Cryptography;
using System.Text;
using Bootcamp.Lessons;
using Bootcamp.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;

namespace Bootcamp.Delivery;

/// <summary>Builds the MIME message around a rendered email, with the contract's headers.</summary>
public sealed class MessageFactory(IOptions<CampaignOptions> campaign, AppSecrets secrets, TimeProvider time)
{
    private readonly MailboxAddress _from = campaign.Value.FromAddress;
    private readonly MailboxAddress _discreetFrom = campaign.Value.DiscreetFromAddress;

    public MailboxAddress Sender(bool discreet) => discreet ? _discreetFrom : _from;

    public MimeMessage Build(string to, bool discreet, RenderedEmail email, string messageId, string? unsubscribeUrl)
    {
        var from = Sender(discreet);
        var message = new MimeMessage
        {
            MessageId = messageId,
            Date = time.GetUtcNow(),
            Subject = email.Subject,
        };
        message.From.Add(from.Clone());
        message.To.Add(MailboxAddress.Parse(to));
        // RFC 2919: a list label under the sender's own domain; the discreet one names nothing.
        message.Headers.Add(HeaderId.ListId, ListId(from, discreet));
        if (unsubscribeUrl is not null)
        {
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribeUrl}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        message.Body = new MultipartAlternative { QuotedPrintablePart("plain", email.TextUtf8), QuotedPrintablePart("html", email.HtmlUtf8) };
        return message;
    }

    // Quoted-printable, encoded here, once: left unset, MimeKit scans every part of every message before
    // sending to pick an encoding (a tenth of the sender's CPU, measured), and content not yet encoded is
    // encoded at every write. Quoted-printable suits any server: mostly ASCII text stays readable, and the
    // odd curly quote or long line is encoded.
    private static TextPart QuotedPrintablePart(string subtype, byte[] utf8)
    {
        var part = new TextPart(subtype) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.ContentType.CharsetEncoding = Encoding.UTF8;
        part.Content = new MimeContent(new MemoryStream(QuotedPrintable.Encode(utf8), writable: false), ContentEncoding.QuotedPrintable);
        return part;
    }

    /// <summary>
    /// The same value every time the same lesson is built, so a resend after a crash is recognised as
    /// the same message; keyed, so it reveals neither the enrollment number nor the sign-up count.
    /// </summary>
    public string LessonMessageId(long enrollmentId, int day, bool discreet) =>
        MessageId($"lesson:{enrollmentId}:{day}", discreet);

    /// <summary>Keyed like a lesson's, from the enrollment alone: a course has one finished note.</summary>
    public string FinishedNoteMessageId(long enrollmentId, bool discreet) =>
        MessageId($"finished-note:{enrollmentId}", discreet);

    public string ConfirmMessageId(long enrollmentId, DateTime requestedAt, bool discreet) =>
        MessageId($"confirm:{enrollmentId}:{requestedAt.Ticks}", discreet);

    private string MessageId(string seed, bool discreet)
    {
        var hash = HMACSHA256.HashData(secrets.AddressHashKey, Encoding.UTF8.GetBytes(seed));
        return $"{Convert.ToHexStringLower(hash, 0, 16)}@{Sender(discreet).Domain}";
    }

    private static string ListId(MailboxAddress from, bool discreet)
    {
        var label = discreet ? "notes" : "bootcamp";
        var name = discreet ? "Daily notes" : "Surviving Infidelity Bootcamp";
        return $"{name} <{label}.{from.Domain}>";
    }
}
