using System.Text;
using MimeKit;

namespace Bootcamp.Delivery;

/// <summary>
/// What MailKit is handed, since its API takes a <see cref="MimeMessage"/>: one that puts the bytes of an
/// <see cref="OutgoingMessage"/> on the wire as they are. MimeKit writes a message as its header list, a
/// blank line, then the body entity; here the list is one header carrying the whole prepared header
/// section as its raw value, and the body entity writes the prepared body. One per SMTP session, carrying
/// each message in turn: constructing a <see cref="MimeMessage"/> costs a parser-options copy, a generated
/// Message-ID and a dozen header objects that would be thrown away.
/// </summary>
internal sealed class WireMessage : MimeMessage
{
    private readonly PreparedBody _body = new();
    private Header? _head;

    public WireMessage()
    {
        Headers.Clear();
        Body = _body;
    }

    public WireMessage Carrying(OutgoingMessage message)
    {
        // The section's first field names the carrying header; its value is everything after the colon.
        // MimeMessage parses From, To, Date and the like when they are set, so the writers start the
        // section with a field it leaves alone: List-Id (WireFormat) or DKIM-Signature (MessageSigner).
        var colon = message.Head.AsSpan().IndexOf((byte)':');
        if (_head is null || !message.Head.AsSpan(0, colon).SequenceEqual(_head.RawField))
        {
            // A different first field (a signed message after unsigned ones): a new carrying header.
            Headers.Clear();
            _head = new Header(Encoding.ASCII.GetString(message.Head, 0, colon), "-");
            Headers.Add(_head);
        }
        _head.SetRawValue(message.Head[(colon + 1)..]);
        _body.Content = message.Body;
        return this;
    }

    // Already 7-bit with short lines: nothing to re-encode for any server.
    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
    }

    private sealed class PreparedBody : MimeEntity
    {
        public PreparedBody()
            : base(new ContentType("multipart", "alternative"))
        {
            // The prepared section already has the Content-Type; MimeKit would merge a second one in.
            Headers.Clear();
        }

        public byte[] Content { get; set; } = [];

        public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
        {
        }

        public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default) =>
            DotStuffing.Unfiltered(stream, Content).Write(Content);

        public override Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default) =>
            DotStuffing.Unfiltered(stream, Content).WriteAsync(Content, cancellationToken).AsTask();
    }
}
