using System.Text;
using Bootcamp.IntegrationTests.Infrastructure;
using MimeKit;

namespace Bootcamp.IntegrationTests.Bounces;

/// <summary>Reports about a lesson the sink received, as mail servers and feedback loops write them, for a test to put in the bounce mailbox.</summary>
internal static class BounceReports
{
    /// <summary>A Postfix-style DSN for a lesson the sink received, quoting its headers.</summary>
    public static MimeMessage Dsn(ReceivedMail lesson, string to, string action, string status, string diagnostic)
    {
        var recipient = lesson.Recipients.Single();
        var text = $"""
            Return-Path: <>
            Delivered-To: {to}
            Date: {DateTimeOffset.UtcNow:R}
            From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender
            To: {to}
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"
            Message-Id: <{Guid.NewGuid():N}@mail.example.org>

            --dsn-boundary
            Content-Description: Notification
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host mail.example.org.

            <{recipient}>: {diagnostic}

            --dsn-boundary
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.example.org
            Arrival-Date: {lesson.ReceivedAt:R}

            Final-Recipient: rfc822; {recipient}
            Original-Recipient: rfc822;{recipient}
            Action: {action}
            Status: {status}
            Remote-MTA: dns; mx.example.net
            Diagnostic-Code: smtp; {diagnostic}

            --dsn-boundary
            Content-Description: Undelivered Message Headers
            Content-Type: text/rfc822-headers

            {QuotedHeaders(lesson)}
            --dsn-boundary--
            """;
        return MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"))));
    }

    /// <summary>An ARF abuse report from a feedback loop, naming the lesson by its envelope sender.</summary>
    public static MimeMessage Complaint(ReceivedMail lesson)
    {
        var text = $"""
            From: Feedback Loop <feedbackloop@fbl.example.net>
            To: fbl@example.org
            Subject: Abuse report
            Date: {DateTimeOffset.UtcNow:R}
            Message-ID: <{Guid.NewGuid():N}@fbl.example.net>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=feedback-report; boundary="arf-boundary"

            --arf-boundary
            Content-Type: text/plain; charset=us-ascii

            This is an email abuse report.

            --arf-boundary
            Content-Type: message/feedback-report

            Feedback-Type: abuse
            User-Agent: ExampleFBL/2.1
            Version: 1
            Original-Mail-From: <{lesson.Sender}>
            Original-Rcpt-To: <{lesson.Recipients.Single()}>
            Reported-Domain: example.org

            --arf-boundary
            Content-Type: text/rfc822-headers

            {QuotedHeaders(lesson)}
            --arf-boundary--
            """;
        return MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"))));
    }

    private static string QuotedHeaders(ReceivedMail lesson)
    {
        var headers = new StringBuilder();
        foreach (var header in lesson.Message.Headers.Where(h => h.Id is HeaderId.MessageId or HeaderId.From or HeaderId.To or HeaderId.Subject or HeaderId.Date))
        {
            headers.Append(header.Field).Append(": ").Append(header.Value).Append('\n');
        }
        return headers.ToString();
    }
}
