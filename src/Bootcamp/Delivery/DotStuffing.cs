using MimeKit.IO;

namespace Bootcamp.Delivery;

/// <summary>
/// MailKit writes a message for DATA through a <see cref="FilteredStream"/> whose one filter dot-stuffs lines that
/// begin with "." (RFC 5321 4.5.2), testing every byte in a loop: 13% of the sender's CPU (perf). A body with no such
/// line that ends with CRLF comes out of that filter as it went in, and every body the wire format makes is one
/// (quoted-printable escapes a line's leading dot), so it goes to the stream under the filter. A body that would be
/// stuffed still goes through it. Used by the host's <c>WireMessage</c> and, as the same file, by the delivery
/// benchmark's raw MailKit yardstick, which must do exactly what the host does.
/// </summary>
internal static class DotStuffing
{
    /// <summary>The stream to write <paramref name="body"/> to: under MailKit's stuffing filter when it needs nothing stuffed.</summary>
    public static Stream Unfiltered(Stream stream, ReadOnlySpan<byte> body) =>
        stream is FilteredStream filtered && NeedsNoStuffing(body) ? filtered.Source : stream;

    /// <summary>No line starts with a dot, and the last ends with CRLF (else the filter would add one).</summary>
    public static bool NeedsNoStuffing(ReadOnlySpan<byte> body) =>
        body.EndsWith("\r\n"u8) && body[0] != '.' && body.IndexOf("\n."u8) < 0;
}
