using Bootcamp.Domain;

namespace Bootcamp.Delivery;

/// <summary>
/// A mail server's answer to a message it accepted, as kept with the lesson: redacted as every SMTP reply is
/// (servers quote the recipient) and bounded, since a server's free text has no length limit of its own.
/// </summary>
public static class SmtpReply
{
    public const int MaxLength = 200;

    public static string Of(int code, string? text) => Fit(string.IsNullOrWhiteSpace(text) ? $"{code}" : $"{code} {text.Trim()}");

    public static string Fit(string reply)
    {
        var redacted = Redaction.Addresses(reply).ReplaceLineEndings(" ");
        return redacted.Length <= MaxLength ? redacted : redacted[..MaxLength];
    }
}
