using System.Text;
using MimeKit;
using Bootcamp.Delivery;

namespace Bootcamp.Benchmarks.Delivery;

/// <summary>
/// A message whose bytes are written before the clock starts: MailKit's <c>SendAsync</c> takes a
/// <see cref="MimeMessage"/>, so this one carries the whole header section as the raw value of a single
/// header (named after the section's first field) and the body as an entity that copies its bytes out.
/// Nothing is parsed, encoded, formatted or dot-stuffed while sending: the least work MailKit can be given per message.
/// </summary>
internal sealed class PreSerialisedMessage : MimeMessage
{
    /// <param name="head">The header section, each field ending in CRLF, without the blank line.</param>
    /// <param name="body">Everything after the blank line.</param>
    public PreSerialisedMessage(byte[] head, byte[] body)
    {
        var colon = Array.IndexOf(head, (byte)':');
        Headers.Clear();
        var carrier = new Header(Encoding.ASCII.GetString(head, 0, colon), "-");
        carrier.SetRawValue(head[(colon + 1)..]);
        Headers.Add(carrier);
        Body = new BytesEntity(body);
    }

    // 7-bit with short lines already: nothing for MailKit to re-encode.
    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
    }

    private sealed class BytesEntity : MimeEntity
    {
        private readonly byte[] bytes;

        public BytesEntity(byte[] bytes)
            : base(new ContentType("multipart", "alternative"))
        {
            this.bytes = bytes;
            // The header section already names the content type.
            Headers.Clear();
        }

        public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
        {
        }

        public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default) =>
            DotStuffing.Unfiltered(stream, bytes).Write(bytes);

        public override Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default) =>
            DotStuffing.Unfiltered(stream, bytes).WriteAsync(bytes, cancellationToken).AsTask();
    }
}
