using System.Security.Cryptography;
using System.Text;
using Bootcamp.Security;
using MimeKit;

namespace Bootcamp.Delivery;

/// <summary>Builds the message around a rendered email, with the contract's headers, in its wire form (DKIM-signed when configured).</summary>
public sealed class MessageFactory(Senders senders, AppSecrets secrets, TimeProvider time, MessageSigner? signer = null)
{
    private readonly MailboxAddress _from = senders.From;
    private readonly MailboxAddress _discreetFrom = senders.DiscreetFrom;

    public MailboxAddress Sender(bool discreet) => discreet ? _discreetFrom : _from;

    // From and List-Id are the same on every message from a sender: written once, by MimeKit.
    private readonly string _fixedHeaders = FixedHeaders(senders.From, discreet: false);
    private readonly string _discreetFixedHeaders = FixedHeaders(senders.DiscreetFrom, discreet: true);

    /// <param name="extraHeaders">Header lines for a resend or a test (<see cref="ResentHeaders"/>, <see cref="TestHeaders"/>); null for every other message.</param>
    public OutgoingMessage Build(string to, bool discreet, RenderedEmail email, string messageId, string? unsubscribeUrl, string? extraHeaders = null)
    {
        var recipient = MailboxAddress.Parse(to);
        var (head, body) = WireFormat.Write(discreet ? _discreetFixedHeaders : _fixedHeaders, email.Subject, messageId, time.GetUtcNow(),
            recipient, unsubscribeUrl, email.TextUtf8, email.HtmlUtf8, extraHeaders);
        var message = new OutgoingMessage(head, body, Sender(discreet), recipient, messageId);
        return signer is null ? message : signer.Sign(message);
    }

    private static string FixedHeaders(MailboxAddress from, bool discreet) =>
        // RFC 2919: a list label under the sender's own domain; the discreet one names nothing. First, as
        // WireMessage needs.
        WireFormat.HeaderLines((HeaderId.ListId, ListId(from, discreet)))
        + WireFormat.AddressHeader(HeaderId.From, from);

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

    /// <summary>
    /// RFC 5322 resent fields (section 3.6.6) for a lesson an admin sends again: the message keeps its Message-ID
    /// (the contract: the same lesson always has the same one), and the resend is told apart by its own
    /// Resent-Message-ID, keyed like the rest and different for each resend of the lesson.
    /// </summary>
    public string ResentHeaders(long lessonId, int resend, bool discreet) => WireFormat.HeaderLines(
        (HeaderId.ResentDate.ToHeaderName(), MimeKit.Utils.DateUtils.FormatDate(time.GetUtcNow())),
        (HeaderId.ResentFrom.ToHeaderName(), Sender(discreet).ToString()),
        (HeaderId.ResentMessageId.ToHeaderName(), $"<{MessageId($"resend:{lessonId}:{resend}", discreet)}>"));

    /// <summary>Marks an admin's test email, which is about no reader and is never recorded.</summary>
    public const string TestHeader = "X-Bootcamp-Test";

    public static string TestHeaders() => WireFormat.HeaderLines((TestHeader, "1"));

    /// <summary>A test is a new message each time (a repeated Message-ID would be dropped as a duplicate by some inboxes).</summary>
    public string TestMessageId(bool discreet) => $"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}@{Sender(discreet).Domain}";

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
