using System.Text;

namespace Bootcamp.Delivery;

/// <summary>
/// A rendered email: subject, preheader and the two bodies as UTF-8, the form they go into the message in.
/// Renders write UTF-8 straight from their buffers: a lesson's HTML and text as .NET strings, then again
/// as UTF-8 for MimeKit, were ~80 KB of the ~200 KB a lesson allocated on its way out (measured).
/// </summary>
public sealed class RenderedEmail(string subject, string preheader, byte[] htmlUtf8, byte[] textUtf8) : IEquatable<RenderedEmail>
{
    public RenderedEmail(string subject, string preheader, string html, string text)
        : this(subject, preheader, Encoding.UTF8.GetBytes(html), Encoding.UTF8.GetBytes(text))
    {
    }

    public string Subject { get; } = subject;

    public string Preheader { get; } = preheader;

    public byte[] HtmlUtf8 { get; } = htmlUtf8;

    public byte[] TextUtf8 { get; } = textUtf8;

    /// <summary>The HTML body as a string (decoded on each call: for checks and tests, not the send path).</summary>
    public string Html => Encoding.UTF8.GetString(HtmlUtf8);

    /// <summary>The plain-text body as a string (decoded on each call).</summary>
    public string Text => Encoding.UTF8.GetString(TextUtf8);

    /// <summary>Same subject, preheader and bodies, byte for byte.</summary>
    public bool Equals(RenderedEmail? other) =>
        other is not null && Subject == other.Subject && Preheader == other.Preheader
        && HtmlUtf8.AsSpan().SequenceEqual(other.HtmlUtf8) && TextUtf8.AsSpan().SequenceEqual(other.TextUtf8);

    public override bool Equals(object? obj) => Equals(obj as RenderedEmail);

    public override int GetHashCode() => HashCode.Combine(Subject, Preheader, HtmlUtf8.Length, TextUtf8.Length);
}
