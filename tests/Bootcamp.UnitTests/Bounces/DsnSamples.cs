using System.Text;
using MimeKit;

namespace Bootcamp.UnitTests.Bounces;

/// <summary>
/// Reports as common MTAs and mailbox providers write them, modelled on real ones: the lesson's return
/// path stands as {VERP}, its Message-ID as {MSGID}, and the reader's address as {RCPT}.
/// </summary>
internal static class DsnSamples
{
    public static MimeMessage Load(string sample, string verp = "bounces@example.org", string messageId = "0f1e2d3c4b5a69788796a5b4c3d2e1f0@example.org", string recipient = "reader@example.net")
    {
        var text = sample.Replace("{VERP}", verp, StringComparison.Ordinal)
            .Replace("{MSGID}", messageId, StringComparison.Ordinal)
            .Replace("{RCPT}", recipient, StringComparison.Ordinal)
            .ReplaceLineEndings("\r\n");
        return MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The original lesson's headers, as a DSN quotes them.</summary>
    private const string LessonHeaders = """
        Return-Path: <{VERP}>
        Received: from app.example.org (app.example.org [192.0.2.10])
        	by mail.example.org (Postfix) with ESMTP id 3F2A1C0123
        	for <{RCPT}>; Tue, 24 Nov 2026 08:00:04 +0000 (UTC)
        Message-ID: <{MSGID}>
        Date: Tue, 24 Nov 2026 08:00:03 +0000
        From: Surviving Infidelity Bootcamp <bootcamp@example.org>
        To: {RCPT}
        Subject: Day 1 of 7
        List-Id: Surviving Infidelity Bootcamp <bootcamp.example.org>
        List-Unsubscribe: <https://bootcamp.example.org/u/CfDJ8Kx>
        List-Unsubscribe-Post: List-Unsubscribe=One-Click
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="=-lesson"
        """;

    public const string Postfix = """
        Return-Path: <>
        Delivered-To: {VERP}
        Received: by mail.example.org (Postfix)
        	id 7B4E0C0456; Tue, 24 Nov 2026 08:00:05 +0000 (UTC)
        Date: Tue, 24 Nov 2026 08:00:05 +0000 (UTC)
        From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: {VERP}
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="7B4E0C0456.1795939205/mail.example.org"
        Content-Transfer-Encoding: 8bit
        Message-Id: <20261124080005.7B4E0C0456@mail.example.org>

        This is a MIME-encapsulated message.

        --7B4E0C0456.1795939205/mail.example.org
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mail.example.org.

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients. It's attached below.

        For further assistance, please send mail to postmaster.

        If you do so, please include this problem report. You can
        delete your own text from the attached returned message.

                           The mail system

        <{RCPT}>: host mx.example.net[203.0.113.25] said: 550 5.1.1
            <{RCPT}>: Recipient address rejected: User unknown in virtual
            mailbox table (in reply to RCPT TO command)

        --7B4E0C0456.1795939205/mail.example.org
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.example.org
        X-Postfix-Queue-ID: 7B4E0C0456
        X-Postfix-Sender: rfc822; {VERP}
        Arrival-Date: Tue, 24 Nov 2026 08:00:04 +0000 (UTC)

        Final-Recipient: rfc822; {RCPT}
        Original-Recipient: rfc822;{RCPT}
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; mx.example.net
        Diagnostic-Code: smtp; 550 5.1.1 <{RCPT}>: Recipient address rejected:
            User unknown in virtual mailbox table

        --7B4E0C0456.1795939205/mail.example.org
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers


        """ + LessonHeaders + """


        --7B4E0C0456.1795939205/mail.example.org--
        """;

    /// <summary>Exim: a catch-all 5.0.0 status, the precise code only in the diagnostic; the whole message returned.</summary>
    public const string Exim = """
        Return-path: <>
        Envelope-to: {VERP}
        Delivery-date: Tue, 24 Nov 2026 08:00:07 +0000
        Received: from mailnull by mx1.example.com with local (Exim 4.96)
        	id 1kXyZa-0004Ab-Cd
        	for {VERP}; Tue, 24 Nov 2026 08:00:07 +0000
        X-Failed-Recipients: {RCPT}
        Auto-Submitted: auto-replied
        From: Mail Delivery System <Mailer-Daemon@mx1.example.com>
        To: {VERP}
        Content-Type: multipart/report; report-type=delivery-status; boundary=1795939207-eximdsn-1804289383
        MIME-Version: 1.0
        Subject: Mail delivery failed: returning message to sender
        Message-Id: <E1kXyZa-0004Ab-Cd@mx1.example.com>
        Date: Tue, 24 Nov 2026 08:00:07 +0000

        --1795939207-eximdsn-1804289383
        Content-type: text/plain; charset=us-ascii

        This message was created automatically by mail delivery software.

        A message that you sent could not be delivered to one or more of its
        recipients. This is a permanent error. The following address(es) failed:

          {RCPT}
            host mx.example.net [203.0.113.25]
            SMTP error from remote mail server after RCPT TO:<{RCPT}>:
            550 5.1.1 <{RCPT}>... User unknown

        --1795939207-eximdsn-1804289383
        Content-type: message/delivery-status

        Reporting-MTA: dns; mx1.example.com

        Action: failed
        Final-Recipient: rfc822;{RCPT}
        Status: 5.0.0
        Remote-MTA: dns; mx.example.net
        Diagnostic-Code: smtp; 550 5.1.1 <{RCPT}>... User unknown

        --1795939207-eximdsn-1804289383
        Content-type: message/rfc822


        """ + LessonHeaders + """


        --=-lesson
        Content-Type: text/plain; charset=utf-8

        Day 1 of 7
        --=-lesson--

        --1795939207-eximdsn-1804289383--
        """;

    /// <summary>Gmail: the human part is multipart/related HTML; the original is named in In-Reply-To and quoted whole.</summary>
    public const string Gmail = """
        Delivered-To: {VERP}
        Return-Path: <>
        Received: by 2002:a05:6a10:9f8e:b0:5a1:1234:abcd with SMTP id b14csp123456;
                Tue, 24 Nov 2026 00:01:03 -0800 (PST)
        From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
        To: {VERP}
        Auto-Submitted: auto-replied
        Subject: Delivery Status Notification (Failure)
        References: <{MSGID}>
        In-Reply-To: <{MSGID}>
        X-Failed-Recipients: {RCPT}
        Message-ID: <6553a2f1.050a0220.b1c2.1234.GMR@mx.google.com>
        Date: Tue, 24 Nov 2026 00:01:03 -0800 (PST)
        MIME-Version: 1.0
        Content-Type: multipart/report; boundary="000000000000a1b2c3d4e5f6a7b8"; report-type=delivery-status

        --000000000000a1b2c3d4e5f6a7b8
        Content-Type: multipart/related; boundary="000000000000a1b2c3d4e5f6a7c0"

        --000000000000a1b2c3d4e5f6a7c0
        Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f6a7c1"

        --000000000000a1b2c3d4e5f6a7c1
        Content-Type: text/plain; charset="UTF-8"


        ** Address not found **

        Your message wasn't delivered to {RCPT} because the address couldn't be found, or is unable to receive mail.

        Learn more here: https://support.google.com/mail/?p=NoSuchUser

        The response was:

        The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser

        --000000000000a1b2c3d4e5f6a7c1
        Content-Type: text/html; charset="UTF-8"

        <html><body><h2>Address not found</h2><p>Your message wasn't delivered to <b>{RCPT}</b>.</p></body></html>

        --000000000000a1b2c3d4e5f6a7c1--

        --000000000000a1b2c3d4e5f6a7c0--

        --000000000000a1b2c3d4e5f6a7b8
        Content-Type: message/delivery-status

        Reporting-MTA: dns; googlemail.com
        Received-From-MTA: dns; mail-sor-f41.google.com
        Arrival-Date: Tue, 24 Nov 2026 00:01:02 -0800 (PST)
        X-Original-Message-ID: <{MSGID}>

        Final-Recipient: rfc822; {RCPT}
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; gmail-smtp-in.l.google.com. (142.250.102.27, the server for the domain gmail.com.)
        Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try
         550-5.1.1 double-checking the recipient's email address for typos or
         550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser b14-20020a05
        Last-Attempt-Date: Tue, 24 Nov 2026 00:01:03 -0800 (PST)

        --000000000000a1b2c3d4e5f6a7b8
        Content-Type: message/rfc822


        """ + LessonHeaders + """


        --=-lesson
        Content-Type: text/plain; charset=utf-8

        Day 1 of 7
        --=-lesson--

        --000000000000a1b2c3d4e5f6a7b8--
        """;

    /// <summary>Office 365: the readable NDR in quoted-printable text and HTML, the status in 5.1.10, the original headers attached.</summary>
    public const string Office365 = """
        Delivered-To: {VERP}
        From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.onmicrosoft.com>
        To: <{VERP}>
        Date: Tue, 24 Nov 2026 08:00:09 +0000
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="b4c7f2a5-0b8d-4a35-9f1b-5b0c1f7d9e21"
        X-MS-Exchange-Message-Is-Ndr:
        Content-Language: en-US
        Message-ID: <a1b2c3d4-e5f6-4711-8899-aabbccddeeff@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>
        In-Reply-To: <{MSGID}>
        References: <{MSGID}>
        Thread-Topic: Day 1 of 7
        Subject: Undeliverable: Day 1 of 7
        Auto-Submitted: auto-replied
        MIME-Version: 1.0

        --b4c7f2a5-0b8d-4a35-9f1b-5b0c1f7d9e21
        Content-Type: multipart/alternative; differences=Content-Type;
        	boundary="f0e1d2c3-b4a5-4697-8877-665544332211"

        --f0e1d2c3-b4a5-4697-8877-665544332211
        Content-Type: text/plain; charset="us-ascii"
        Content-Transfer-Encoding: quoted-printable

        Your message to {RCPT} couldn't be delivered.
        {RCPT} wasn't found at contoso.com.
        Action Required                                    Recipient
        Unknown To address

        How to Fix It
        The address may be misspelled or may not exist. Try one or more of the fol=
        lowing:

        Diagnostic information for administrators:
        Generating server: AM0PR01MB1234.eurprd01.prod.exchangelabs.com
        {RCPT}
        Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipien=
        t not found by SMTP address lookup'

        --f0e1d2c3-b4a5-4697-8877-665544332211
        Content-Type: text/html; charset="us-ascii"
        Content-Transfer-Encoding: quoted-printable

        <html><body><p>Your message to {RCPT} couldn't be delivered.</p></body></html>

        --f0e1d2c3-b4a5-4697-8877-665544332211--

        --b4c7f2a5-0b8d-4a35-9f1b-5b0c1f7d9e21
        Content-Type: message/delivery-status

        Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com
        Received-From-MTA: dns;mail.example.org
        Arrival-Date: Tue, 24 Nov 2026 08:00:08 +0000

        Final-Recipient: rfc822;{RCPT}
        Action: failed
        Status: 5.1.10
        Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup
        X-Display-Name: Former Reader


        --b4c7f2a5-0b8d-4a35-9f1b-5b0c1f7d9e21
        Content-Type: text/rfc822-headers


        """ + LessonHeaders + """


        --b4c7f2a5-0b8d-4a35-9f1b-5b0c1f7d9e21--
        """;

    /// <summary>Postfix's warning after delay_warning_time: still being retried.</summary>
    public const string Delayed = """
        Return-Path: <>
        Delivered-To: {VERP}
        Date: Tue, 24 Nov 2026 12:00:05 +0000 (UTC)
        From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
        Subject: Delayed Mail (still being retried)
        To: {VERP}
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="9C1D2E3F40.1795953605/mail.example.org"
        Message-Id: <20261124120005.9C1D2E3F40@mail.example.org>

        --9C1D2E3F40.1795953605/mail.example.org
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mail.example.org.

        ####################################################################
        # THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
        ####################################################################

        Your message could not be delivered for more than 4 hour(s).
        It will be retried until it is 5 day(s) old.

        --9C1D2E3F40.1795953605/mail.example.org
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.example.org
        X-Postfix-Queue-ID: 9C1D2E3F40
        X-Postfix-Sender: rfc822; {VERP}
        Arrival-Date: Tue, 24 Nov 2026 08:00:04 +0000 (UTC)

        Final-Recipient: rfc822; {RCPT}
        Original-Recipient: rfc822;{RCPT}
        Action: delayed
        Status: 4.4.1
        Diagnostic-Code: X-Postfix; connect to mx.example.net[203.0.113.25]:25:
            Connection timed out
        Will-Retry-Until: Sun, 29 Nov 2026 08:00:04 +0000 (UTC)

        --9C1D2E3F40.1795953605/mail.example.org
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers


        """ + LessonHeaders + """


        --9C1D2E3F40.1795953605/mail.example.org--
        """;

    /// <summary>Postfix giving up at maximal_queue_lifetime on a full mailbox: failed, but with a 4.x.x status.</summary>
    public const string GaveUpOnFullMailbox = """
        Return-Path: <>
        Delivered-To: {VERP}
        Date: Sun, 29 Nov 2026 08:10:05 +0000 (UTC)
        From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: {VERP}
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="A1B2C3D4E5.1796386205/mail.example.org"

        --A1B2C3D4E5.1796386205/mail.example.org
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mail.example.org.

        <{RCPT}>: host mx.example.net[203.0.113.25] said: 452 4.2.2
            Mailbox full (in reply to RCPT TO command)

        --A1B2C3D4E5.1796386205/mail.example.org
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.example.org
        Arrival-Date: Tue, 24 Nov 2026 08:00:04 +0000 (UTC)

        Final-Recipient: rfc822; {RCPT}
        Action: failed
        Status: 4.2.2
        Remote-MTA: dns; mx.example.net
        Diagnostic-Code: smtp; 452 4.2.2 Mailbox full

        --A1B2C3D4E5.1796386205/mail.example.org
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers


        """ + LessonHeaders + """


        --A1B2C3D4E5.1796386205/mail.example.org--
        """;

    /// <summary>Refused for our sending IP's reputation: 5.7.1, the sender's own problem.</summary>
    public const string Policy = """
        Return-Path: <>
        Delivered-To: {VERP}
        Date: Tue, 24 Nov 2026 08:00:06 +0000 (UTC)
        From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: {VERP}
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="B2C3D4E5F6.1795939206/mail.example.org"

        --B2C3D4E5F6.1795939206/mail.example.org
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        <{RCPT}>: host mx.example.net[203.0.113.25] said: 554 5.7.1 Service
            unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org

        --B2C3D4E5F6.1795939206/mail.example.org
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.example.org

        Final-Recipient: rfc822; {RCPT}
        Action: failed
        Status: 5.7.1
        Remote-MTA: dns; mx.example.net
        Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host
            [192.0.2.10] blocked using zen.spamhaus.org

        --B2C3D4E5F6.1795939206/mail.example.org
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers


        """ + LessonHeaders + """


        --B2C3D4E5F6.1795939206/mail.example.org--
        """;

    /// <summary>An ARF abuse report from a feedback loop (RFC 5965), the reader's address redacted as some providers do.</summary>
    public const string Complaint = """
        Return-Path: <feedbackloop@fbl.example.net>
        Delivered-To: fbl@example.org
        From: Feedback Loop <feedbackloop@fbl.example.net>
        To: fbl@example.org
        Subject: Abuse report for a message from example.org
        Date: Wed, 25 Nov 2026 09:12:00 +0000
        Message-ID: <fbl-20261125091200-4711@fbl.example.net>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report;
        	boundary="part1_13d.2e68ed54_boundary"

        --part1_13d.2e68ed54_boundary
        Content-Type: text/plain; charset="US-ASCII"
        Content-Transfer-Encoding: 7bit

        This is an email abuse report for an email message received from IP
        192.0.2.10 on Tue, 24 Nov 2026 08:00:04 +0000.
        For more information about this format please see
        https://www.rfc-editor.org/rfc/rfc5965.

        --part1_13d.2e68ed54_boundary
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: ExampleFBL/2.1
        Version: 1
        Original-Mail-From: <{VERP}>
        Original-Rcpt-To: <{RCPT}>
        Arrival-Date: Tue, 24 Nov 2026 08:00:04 +0000
        Reporting-MTA: dns; mx.fbl.example.net
        Source-IP: 192.0.2.10
        Authentication-Results: mx.fbl.example.net; spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org
        Reported-Domain: example.org

        --part1_13d.2e68ed54_boundary
        Content-Type: message/rfc822
        Content-Disposition: inline


        """ + LessonHeaders + """


        --=-lesson
        Content-Type: text/plain; charset=utf-8

        Day 1 of 7
        --=-lesson--

        --part1_13d.2e68ed54_boundary--
        """;

    /// <summary>A DMARC failure report (RFC 6591) is also ARF, but says nothing about the reader.</summary>
    public const string AuthFailureReport = """
        From: dmarc-noreply@receiver.example.net
        To: dmarc-failures@example.org
        Subject: FW: Day 1 of 7
        Date: Wed, 25 Nov 2026 09:12:00 +0000
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="auth-failure-boundary"

        --auth-failure-boundary
        Content-Type: text/plain

        A message claiming to be from you failed DMARC.

        --auth-failure-boundary
        Content-Type: message/feedback-report

        Feedback-Type: auth-failure
        User-Agent: Example-DMARC/1.0
        Version: 1
        Original-Mail-From: <{VERP}>
        Auth-Failure: dmarc
        Reported-Domain: example.org

        --auth-failure-boundary
        Content-Type: text/rfc822-headers


        """ + LessonHeaders + """


        --auth-failure-boundary--
        """;

    /// <summary>An out-of-office reply to a lesson: a person's message, not a report.</summary>
    public const string AutoReply = """
        Delivered-To: {VERP}
        From: Reader <{RCPT}>
        To: Surviving Infidelity Bootcamp <bootcamp@example.org>
        Subject: Automatic reply: Day 1 of 7
        In-Reply-To: <{MSGID}>
        References: <{MSGID}>
        Auto-Submitted: auto-replied
        X-Autoreply: yes
        Date: Tue, 24 Nov 2026 08:00:30 +0000
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        I am away until Monday 30 November with no access to email.
        """;

    /// <summary>A bounce as a plain-text message with no report part (old qmail style): nothing to read reliably.</summary>
    public const string PlainTextBounce = """
        Return-Path: <>
        Delivered-To: {VERP}
        From: MAILER-DAEMON@mx.example.net
        To: {VERP}
        Subject: failure notice
        Date: Tue, 24 Nov 2026 08:00:05 +0000

        Hi. This is the qmail-send program at mx.example.net.
        I'm afraid I wasn't able to deliver your message to the following addresses.
        This is a permanent error; I've given up. Sorry it didn't work out.

        <{RCPT}>:
        Sorry, no mailbox here by that name. (#5.1.1)
        """;

    /// <summary>SMTPUTF8 (RFC 6533): message/global-delivery-status, and the headers base64-encoded against RFC 2046's advice.</summary>
    public const string GlobalDeliveryStatus = """
        Delivered-To: {VERP}
        From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
        To: {VERP}
        Subject: Undelivered Mail Returned to Sender
        Date: Tue, 24 Nov 2026 08:00:05 +0000
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="global-boundary"

        --global-boundary
        Content-Type: text/plain; charset=utf-8

        Delivery to the following recipient failed permanently.

        --global-boundary
        Content-Type: message/global-delivery-status

        Reporting-MTA: dns; mx.example.net

        Final-Recipient: utf-8; {RCPT}
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable

        --global-boundary
        Content-Type: text/rfc822-headers
        Content-Transfer-Encoding: base64

        {HEADERS64}
        --global-boundary--
        """;

    public static string GlobalDeliveryStatusWithHeaders(string messageId) =>
        GlobalDeliveryStatus.Replace("{HEADERS64}", Convert.ToBase64String(Encoding.UTF8.GetBytes($"Message-ID: <{messageId}>\r\nSubject: Day 1 of 7\r\n\r\n")), StringComparison.Ordinal);
}
