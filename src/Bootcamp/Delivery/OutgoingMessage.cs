using MimeKit;

namespace Bootcamp.Delivery;

/// <summary>
/// A message as it goes on the wire: every byte written once, when it is built (CRLF line ends, 7-bit:
/// quoted-printable bodies, RFC 2047 headers), with the envelope it goes out under.
/// </summary>
public sealed class OutgoingMessage(byte[] head, byte[] body, MailboxAddress from, MailboxAddress to, string messageId)
{
    /// <summary>The header section, each line CRLF-ended, without the blank line that ends it.</summary>
    internal byte[] Head { get; } = head;

    /// <summary>Everything after the blank line.</summary>
    internal byte[] Body { get; } = body;

    /// <summary>The From mailbox, which is also the envelope sender unless a return path is given.</summary>
    public MailboxAddress From { get; } = from;

    /// <summary>The one recipient, as in the To header and the envelope.</summary>
    public MailboxAddress To { get; } = to;

    /// <summary>Without the angle brackets.</summary>
    public string MessageId { get; } = messageId;

    /// <summary>The whole message: the header section, a blank line, the body.</summary>
    public byte[] ToBytes() => [.. Head, (byte)'\r', (byte)'\n', .. Body];

    /// <summary>Parses the bytes back into MimeKit's model: for checks and tests, not the send path.</summary>
    public MimeMessage ToMimeMessage() => MimeMessage.Load(new MemoryStream(ToBytes(), writable: false));
}
