using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Bootcamp.Delivery;

/// <summary>
/// Writes a message in its wire form into one array: the headers, then a multipart/alternative of a
/// text/plain and a text/html part, both quoted-printable. MimeKit's model, built for every lesson and
/// then serialised through its filters, cost a fifth of the sender's CPU and a third of what it allocated
/// (perf, dotnet-trace); the fixed headers are MimeKit's own output, made once, and MimeKit still encodes
/// what needs encoding (subjects with non-ASCII, addresses).
/// </summary>
internal static class WireFormat
{
    /// <summary>MimeKit's options for the same form: CRLF line ends.</summary>
    public static FormatOptions Options { get; } = CreateOptions();

    // Subjects come from the templates: a handful, each encoded and folded once. Bounded, in case a
    // template ever puts a reader's name in its subject.
    private static readonly ConcurrentDictionary<string, string> Subjects = new(StringComparer.Ordinal);
    private const int SubjectsKept = 256;

    /// <summary>Header lines written by MimeKit once (a sender's From and List-Id), CRLF-ended.</summary>
    public static string HeaderLines(params (HeaderId Id, string Value)[] headers) =>
        HeaderLines(list => { foreach (var (id, value) in headers) list.Add(id, value); });

    /// <summary>Header lines by field name (those MimeKit has no <see cref="HeaderId"/> for, such as X- headers), CRLF-ended.</summary>
    public static string HeaderLines(params (string Field, string Value)[] headers) =>
        HeaderLines(list => { foreach (var (field, value) in headers) list.Add(field, value); });

    /// <summary>An address header as MimeKit writes it, encoded and folded.</summary>
    public static string AddressHeader(HeaderId id, MailboxAddress mailbox) => HeaderLines((id, mailbox.ToString()));

    private static string HeaderLines(Action<HeaderList> fill)
    {
        var list = new HeaderList();
        fill(list);
        using var stream = new MemoryStream();
        list.WriteTo(Options, stream);
        // HeaderList ends the block with the blank line that separates it from a body; the caller goes on.
        var text = Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
        return text.EndsWith("\r\n\r\n", StringComparison.Ordinal) ? text[..^2] : text;
    }

    /// <summary>
    /// The header section (starting with <paramref name="fixedHeaders"/>, which start with List-Id, as
    /// <see cref="WireMessage"/> needs) and the body. <paramref name="extraHeaders"/> (CRLF-ended lines, or null) go after To.
    /// </summary>
    public static (byte[] Head, byte[] Body) Write(string fixedHeaders, string subject, string messageId, DateTimeOffset date, MailboxAddress to,
        string? unsubscribeUrl, ReadOnlySpan<byte> textUtf8, ReadOnlySpan<byte> htmlUtf8, string? extraHeaders = null)
    {
        // Quoted-printable text never holds "=-" (an "=" is always "=XX" or a soft break), so a boundary
        // that starts with it can't occur inside either part.
        var boundary = "=-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var head = new StringBuilder(1024)
            .Append(fixedHeaders)
            .Append("Date: ").Append(DateUtils.FormatDate(date)).Append("\r\n")
            .Append("Subject:").Append(EncodedSubject(subject))
            .Append("Message-Id: <").Append(messageId).Append(">\r\n")
            .Append("To: ").Append(to.ToString(Options, encode: true)).Append("\r\n")
            .Append(extraHeaders);
        if (unsubscribeUrl is not null)
        {
            head.Append("List-Unsubscribe: <").Append(unsubscribeUrl).Append(">\r\n")
                .Append("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
        }
        head.Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/alternative; boundary=\"").Append(boundary).Append("\"\r\n");

        var textHead = new StringBuilder(160);
        AppendPartHead(textHead, boundary, "plain");
        var htmlHead = new StringBuilder(160).Append("\r\n");
        AppendPartHead(htmlHead, boundary, "html");
        var closing = $"\r\n--{boundary}--\r\n";

        var capacity = Encoding.UTF8.GetMaxByteCount(textHead.Length + htmlHead.Length + closing.Length)
            + QuotedPrintable.MaxEncodedLength(textUtf8.Length) + QuotedPrintable.MaxEncodedLength(htmlUtf8.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            var written = Append(textHead, buffer, 0);
            written += QuotedPrintable.Encode(textUtf8, buffer.AsSpan(written));
            written += Append(htmlHead, buffer, written);
            written += QuotedPrintable.Encode(htmlUtf8, buffer.AsSpan(written));
            written += Encoding.UTF8.GetBytes(closing, buffer.AsSpan(written));
            return (Encoding.UTF8.GetBytes(head.ToString()), buffer.AsSpan(0, written).ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void AppendPartHead(StringBuilder head, string boundary, string subtype) =>
        head.Append("--").Append(boundary).Append("\r\n")
            .Append("Content-Type: text/").Append(subtype).Append("; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: quoted-printable\r\n\r\n");

    private static int Append(StringBuilder text, byte[] buffer, int at)
    {
        var written = 0;
        foreach (var chunk in text.GetChunks())
        {
            written += Encoding.UTF8.GetBytes(chunk.Span, buffer.AsSpan(at + written));
        }
        return written;
    }

    /// <summary>The value after "Subject:", encoded and folded by MimeKit (which also drops CR and LF), CRLF-ended.</summary>
    private static string EncodedSubject(string subject)
    {
        if (Subjects.TryGetValue(subject, out var encoded))
        {
            return encoded;
        }
        var header = new Header(HeaderId.Subject, string.Empty);
        header.SetValue(Options, Encoding.UTF8, subject);
        encoded = Encoding.ASCII.GetString(header.RawValue);
        if (Subjects.Count < SubjectsKept)
        {
            Subjects.TryAdd(subject, encoded);
        }
        return encoded;
    }

    private static FormatOptions CreateOptions()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }
}
