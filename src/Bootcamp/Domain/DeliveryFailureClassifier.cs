using System.Text.RegularExpressions;

namespace Bootcamp.Domain;

/// <summary>Turns an SMTP reply into a <see cref="FailureKind"/> (RFC 5321 basic codes, RFC 3463 enhanced codes).</summary>
public static partial class DeliveryFailureClassifier
{
    public static DeliveryFailure Classify(int statusCode, string? replyText)
    {
        var enhanced = EnhancedCode(replyText);
        return new DeliveryFailure(Kind(statusCode, enhanced), statusCode, enhanced, replyText ?? string.Empty);
    }

    public static FailureKind Kind(int statusCode, string? enhanced)
    {
        // The enhanced code is the more specific of the two, but a server that says "550 4.2.2" is
        // answering permanently: the basic code's class decides transient or permanent.
        // Anything but a 5xx (4xx, or a code the server should never send) is worth another try.
        if (statusCode is < 500 or >= 600)
        {
            return FailureKind.Transient;
        }
        if (enhanced is null)
        {
            return FailureKind.Permanent;
        }
        // 5.1.7 and 5.1.8 are about our own sender address (RFC 3463), not the reader's mailbox.
        if (enhanced is "5.1.7" or "5.1.8")
        {
            return FailureKind.SenderPolicy;
        }
        if (enhanced.StartsWith("5.1.", StringComparison.Ordinal))
        {
            return FailureKind.HardBounce;
        }
        if (enhanced.StartsWith("5.7.", StringComparison.Ordinal))
        {
            return FailureKind.SenderPolicy;
        }
        return FailureKind.Permanent;
    }

    /// <summary>The first <c>class.subject.detail</c> code in the reply text, if any.</summary>
    public static string? EnhancedCode(string? replyText)
    {
        if (string.IsNullOrEmpty(replyText))
        {
            return null;
        }
        var match = EnhancedCodePattern().Match(replyText);
        return match.Success ? match.Value : null;
    }

    [GeneratedRegex(@"(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d.])", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedCodePattern();
}
