using System.Buffers;

namespace Bootcamp.Delivery;

/// <summary>
/// Quoted-printable (RFC 2045, 6.7) in its final form, CRLF line breaks and all, written once when the
/// message is built. Given content already in the part's transfer encoding, MimeKit only copies it onto
/// the wire; encoding at send time took ~7% of the sender's CPU (perf), one byte at a time, where this
/// copies runs of plain text whole.
/// </summary>
internal static class QuotedPrintable
{
    // Encoded lines hold at most 76 characters; keeping every line to 75 leaves room for a soft break's "=".
    private const int LineContent = 75;

    // What may stand for itself: printable ASCII but "=", and space and tab (except at the end of a line).
    private static readonly SearchValues<byte> Literal = SearchValues.Create(
        [(byte)'\t', .. Enumerable.Range(' ', '=' - ' ').Select(b => (byte)b), .. Enumerable.Range('=' + 1, '~' - '=').Select(b => (byte)b)]);

    private static ReadOnlySpan<byte> Hex => "0123456789ABCDEF"u8;

    /// <summary>
    /// Room enough for any <paramref name="length"/> bytes: every byte as "=XX", a soft break every 25 of
    /// them, and LF grown to CRLF.
    /// </summary>
    public static int MaxEncodedLength(int length) => (length * 3) + (length / 8) + 8;

    /// <summary>
    /// Encodes <paramref name="text"/> into <paramref name="output"/>, which has <see cref="MaxEncodedLength"/>
    /// room; line breaks (LF or CRLF) become CRLF. Returns the bytes written.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> text, Span<byte> output)
    {
        var written = 0;
        var column = 0;
        var i = 0;
        while (i < text.Length)
        {
            var b = text[i];
            if (b == '\n' || (b == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
            {
                i += b == '\r' ? 2 : 1;
                output[written++] = (byte)'\r';
                output[written++] = (byte)'\n';
                column = 0;
                continue;
            }
            var run = text[i..].IndexOfAnyExcept(Literal);
            var end = run < 0 ? text.Length : i + run;
            if (end == i)
            {
                // "=", a lone CR, a control character or a byte of a multi-byte character.
                Escape(b, output, ref written, ref column);
                i++;
                continue;
            }
            // Spaces and tabs that end a line (or the text) are escaped: transports may strip them.
            var plainEnd = end;
            if (EndsLine(text, end))
            {
                while (plainEnd > i && text[plainEnd - 1] is (byte)' ' or (byte)'\t')
                {
                    plainEnd--;
                }
            }
            while (i < plainEnd)
            {
                if (column == LineContent)
                {
                    SoftBreak(output, ref written, ref column);
                }
                if (column == 0 && text[i] == '.')
                {
                    // A line that starts with a dot is one SMTP would dot-stuff: escaped, no line of ours needs it
                    // (WireMessage sends bodies past MailKit's stuffing filter).
                    Escape(text[i], output, ref written, ref column);
                    i++;
                    continue;
                }
                var take = Math.Min(LineContent - column, plainEnd - i);
                text.Slice(i, take).CopyTo(output[written..]);
                written += take;
                column += take;
                i += take;
            }
            for (; i < end; i++)
            {
                Escape(text[i], output, ref written, ref column);
            }
        }
        return written;
    }

    private static bool EndsLine(ReadOnlySpan<byte> text, int at) =>
        at == text.Length || text[at] == '\n' || (text[at] == '\r' && at + 1 < text.Length && text[at + 1] == '\n');

    private static void Escape(byte b, Span<byte> output, ref int written, ref int column)
    {
        if (column + 3 > LineContent)
        {
            SoftBreak(output, ref written, ref column);
        }
        output[written++] = (byte)'=';
        output[written++] = Hex[b >> 4];
        output[written++] = Hex[b & 0xF];
        column += 3;
    }

    private static void SoftBreak(Span<byte> output, ref int written, ref int column)
    {
        output[written++] = (byte)'=';
        output[written++] = (byte)'\r';
        output[written++] = (byte)'\n';
        column = 0;
    }
}
