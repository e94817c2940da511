using System.Text.RegularExpressions;
using Bootcamp.Domain;
using MimeKit;

namespace Bootcamp.Bounces;

/// <summary>
/// Reads a message of the bounce mailbox: a delivery status notification (<c>multipart/report;
/// report-type=delivery-status</c>, RFC 3464) or an ARF complaint (<c>report-type=feedback-report</c>,
/// RFC 5965). Anything else (auto-replies, read receipts, spam, plain-text bounces) gives
/// <see cref="BounceReport.None"/>. Pure: no I/O, never throws on what a stranger can send.
/// </summary>
public static partial class DsnParser
{
    // Multipart levels searched for the report: forwarders and list servers sometimes wrap it once.
    private const int MaxDepth = 3;

    // Headers the receiving MTA or the DSN's writer puts the envelope recipient in: the VERP address.
    private static readonly string[] EnvelopeRecipientHeaders = ["X-Original-To", "Delivered-To", "Envelope-To", "X-Envelope-To"];

    public static BounceReport Parse(MimeMessage message, ReturnPathCodec? returnPaths = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (FindReport(message.Body, 0) is not { } report)
        {
            return BounceReport.None;
        }
        var reportType = (report.ReportType ?? string.Empty).Trim().ToLowerInvariant();
        if (reportType is not ("delivery-status" or "feedback-report"))
        {
            // Read receipts (disposition-notification) and other reports say nothing about delivery.
            return BounceReport.None;
        }

        var findings = new List<BounceFinding>();
        MimeMessage? original = null;
        string? originalMailFrom = null;
        foreach (var part in report)
        {
            if (StatusGroups(part) is { } groups)
            {
                // The first group holds the per-message fields; each later one, one recipient.
                // Trailing blank lines (Exchange writes them) parse as empty groups.
                findings.AddRange(groups.Skip(1).Where(g => g.Count > 0).Select(Finding));
            }
            else if (FeedbackFields(part) is { } fields)
            {
                findings.Add(Complaint(fields));
                originalMailFrom ??= fields["Original-Mail-From"];
            }
            else
            {
                original ??= OriginalMessage(part);
            }
        }

        var originalMessageId = Blank(original?.MessageId) ?? Blank(message.InReplyTo) ?? message.References.LastOrDefault();
        var (lessonId, forged) = ReadReturnPath(message, original, originalMailFrom, returnPaths);
        return new BounceReport(reportType, findings, originalMessageId, lessonId, forged);
    }

    private static MultipartReport? FindReport(MimeEntity? entity, int depth) => entity switch
    {
        MultipartReport report => report,
        // Never inside a message/rfc822 part: a forwarded bounce is someone else's report.
        Multipart multipart when depth < MaxDepth => multipart.Select(child => FindReport(child, depth + 1)).FirstOrDefault(r => r is not null),
        _ => null,
    };

    private static HeaderListCollection? StatusGroups(MimeEntity part) => part switch
    {
        MessageDeliveryStatus status => status.StatusGroups,
        // message/global-delivery-status (RFC 6533, UTF-8 addresses) has the same shape.
        MimePart other when other.ContentType.IsMimeType("message", "delivery-status") || other.ContentType.IsMimeType("message", "global-delivery-status")
            => new MessageDeliveryStatus { Content = other.Content }.StatusGroups,
        _ => null,
    };

    private static HeaderList? FeedbackFields(MimeEntity part) => part switch
    {
        MessageFeedbackReport feedback => feedback.Fields,
        MimePart other when other.ContentType.IsMimeType("message", "feedback-report") => new MessageFeedbackReport { Content = other.Content }.Fields,
        _ => null,
    };

    /// <summary>The returned message or its headers (text/rfc822-headers, message/rfc822), however encoded.</summary>
    private static MimeMessage? OriginalMessage(MimeEntity part)
    {
        switch (part)
        {
            case MessagePart { Message: { } message }:
                // TextRfc822Headers is a MessagePart too: its Message holds the headers alone.
                return message;
            case MimePart { Content: { } content } other when other.ContentType.IsMimeType("text", "rfc822-headers")
                                                             || other.ContentType.IsMimeType("message", "rfc822")
                                                             || other.ContentType.IsMimeType("message", "global")
                                                             || other.ContentType.IsMimeType("message", "global-headers"):
                try
                {
                    // Encoded (base64, quoted-printable) against RFC 2046's advice, so MimeKit left it opaque.
                    using var stream = content.Open();
                    return MimeMessage.Load(stream);
                }
                catch (Exception e) when (e is FormatException or ParseException)
                {
                    return null;
                }
            default:
                return null;
        }
    }

    private static BounceFinding Finding(HeaderList fields)
    {
        var action = FieldToken(fields["Action"]);
        var diagnostic = Typed(fields["Diagnostic-Code"]);
        var status = SpecificStatus(StatusCode(fields["Status"]), DeliveryFailureClassifier.EnhancedCode(diagnostic));
        var recipient = Typed(fields["Final-Recipient"]) ?? Typed(fields["Original-Recipient"]);
        return new BounceFinding(Kind(action, status), recipient, action, status, diagnostic);
    }

    private static BounceKind Kind(string? action, string? status)
    {
        if (action != "failed")
        {
            // delayed, delivered, relayed, expanded: nothing went wrong for good.
            return BounceKind.NotABounce;
        }
        return status?[0] switch
        {
            '4' => BounceKind.SoftBounce,
            // The same rules as a synchronous refusal, so the two paths never disagree.
            '5' => DeliveryFailureClassifier.Kind(550, status) switch
            {
                FailureKind.HardBounce => BounceKind.HardBounce,
                FailureKind.SenderPolicy => BounceKind.SenderPolicy,
                _ => BounceKind.Permanent,
            },
            // Failed with no usable status: this message is lost, the address is not proven dead.
            _ => BounceKind.Permanent,
        };
    }

    private static BounceFinding Complaint(HeaderList fields)
    {
        var type = FieldToken(fields["Feedback-Type"]);
        // RFC 5965: abuse and fraud are the reader's complaint; auth-failure (DMARC), not-spam, virus and other are not.
        var kind = type is "abuse" or "fraud" ? BounceKind.Complaint : BounceKind.NotABounce;
        var recipient = Bare(fields["Original-Rcpt-To"]);
        return new BounceFinding(kind, recipient, type, null, Blank(fields["User-Agent"]));
    }

    private static (long? LessonId, bool Forged) ReadReturnPath(MimeMessage message, MimeMessage? original, string? originalMailFrom, ReturnPathCodec? returnPaths)
    {
        if (returnPaths is null)
        {
            return (null, false);
        }
        var candidates = new List<string?> { originalMailFrom };
        foreach (var name in EnvelopeRecipientHeaders)
        {
            candidates.AddRange(message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));
        }
        candidates.AddRange(message.To.Mailboxes.Select(m => m.Address));
        candidates.Add(original?.Headers["Return-Path"]);

        var forged = false;
        foreach (var candidate in candidates)
        {
            switch (returnPaths.Read(Bare(candidate), out var lessonId))
            {
                case ReturnPathMatch.Valid:
                    return (lessonId, false);
                case ReturnPathMatch.Forged:
                    forged = true;
                    break;
            }
        }
        return (null, forged);
    }

    /// <summary>"5.1.1 (bad destination mailbox)" → "5.1.1".</summary>
    private static string? StatusCode(string? value)
    {
        var match = value is null ? null : StatusPattern().Match(value);
        return match is { Success: true } ? match.Value : null;
    }

    /// <summary>A catch-all "5.0.0" gives way to the same-class, more specific code in the diagnostic.</summary>
    private static string? SpecificStatus(string? status, string? fromDiagnostic) =>
        status is null ? fromDiagnostic
        : status.EndsWith(".0.0", StringComparison.Ordinal) && fromDiagnostic is not null && fromDiagnostic[0] == status[0] ? fromDiagnostic
        : status;

    /// <summary>"rfc822; reader@example.org" → "reader@example.org"; "smtp; 550 …" → "550 …".</summary>
    private static string? Typed(string? value)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }
        var match = TypePrefixPattern().Match(text);
        return Bare(match.Success ? text[match.Length..] : text);
    }

    /// <summary>"Failed (comment)" → "failed".</summary>
    private static string? FieldToken(string? value)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }
        var end = text.IndexOfAny([' ', '\t', '(', ';']);
        return (end < 0 ? text : text[..end]).ToLowerInvariant();
    }

    private static string? Bare(string? value)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }
        if (text.StartsWith('<') && text.EndsWith('>'))
        {
            text = text[1..^1].Trim();
        }
        // "Name <address>" in a To-like header: the address is what the envelope held.
        if (text.Contains('<', StringComparison.Ordinal) && MailboxAddress.TryParse(text, out var mailbox))
        {
            text = mailbox.Address;
        }
        return text.Length == 0 ? null : text;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d.])", RegexOptions.CultureInvariant)]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9\-]*\s*;\s*", RegexOptions.CultureInvariant)]
    private static partial Regex TypePrefixPattern();
}
