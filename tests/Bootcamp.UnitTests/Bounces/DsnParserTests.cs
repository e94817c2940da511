using Bootcamp.Bounces;

namespace Bootcamp.UnitTests.Bounces;

public sealed class DsnParserTests
{
    private const string MessageId = "0f1e2d3c4b5a69788796a5b4c3d2e1f0@example.org";
    private const long LessonId = 4711;
    private static readonly ReturnPathCodec Codec = new("bounces+{id}@example.org", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string Verp = Codec.AddressFor(LessonId);

    private static BounceReport Parse(string sample, ReturnPathCodec? codec = null, string? verp = null) =>
        DsnParser.Parse(DsnSamples.Load(sample, verp ?? Verp, MessageId), codec ?? Codec);

    [Fact]
    public void A_postfix_user_unknown_is_a_hard_bounce_of_the_lesson_its_return_path_names()
    {
        var report = Parse(DsnSamples.Postfix);

        Assert.Equal("delivery-status", report.ReportType);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(BounceKind.HardBounce, finding.Kind);
        Assert.Equal("failed", finding.Action);
        Assert.Equal("5.1.1", finding.Status);
        Assert.Equal("reader@example.net", finding.Recipient);
        Assert.StartsWith("550 5.1.1 <reader@example.net>: Recipient address rejected:", finding.DiagnosticCode);
        Assert.Equal(LessonId, report.LessonId);
        Assert.Equal(MessageId, report.OriginalMessageId);
        Assert.False(report.ForgedReturnPath);
    }

    [Fact]
    public void An_exim_catch_all_status_gives_way_to_the_precise_code_in_its_diagnostic()
    {
        var report = Parse(DsnSamples.Exim);

        var finding = Assert.Single(report.Findings);
        Assert.Equal((BounceKind.HardBounce, "5.1.1"), (finding.Kind, finding.Status));
        Assert.Equal("reader@example.net", finding.Recipient);
        Assert.Equal(MessageId, report.OriginalMessageId);
        Assert.Equal(LessonId, report.LessonId);
    }

    [Fact]
    public void A_gmail_address_not_found_is_a_hard_bounce_found_under_its_html_notice()
    {
        var report = Parse(DsnSamples.Gmail);

        var finding = Assert.Single(report.Findings);
        Assert.Equal((BounceKind.HardBounce, "5.1.1"), (finding.Kind, finding.Status));
        Assert.Contains("The email account that you tried to reach does not exist", finding.DiagnosticCode);
        Assert.Equal(MessageId, report.OriginalMessageId);
        Assert.Equal(LessonId, report.LessonId);
    }

    [Fact]
    public void An_office_365_recipient_not_found_is_a_hard_bounce()
    {
        var report = Parse(DsnSamples.Office365);

        var finding = Assert.Single(report.Findings);
        Assert.Equal((BounceKind.HardBounce, "5.1.10"), (finding.Kind, finding.Status));
        Assert.Equal("reader@example.net", finding.Recipient);
        Assert.StartsWith("550 5.1.10 RESOLVER.ADR.RecipientNotFound", finding.DiagnosticCode);
        Assert.Equal(MessageId, report.OriginalMessageId);
        Assert.Equal(LessonId, report.LessonId);
    }

    [Fact]
    public void A_delayed_notice_is_not_a_bounce()
    {
        var report = Parse(DsnSamples.Delayed);

        Assert.True(report.IsReport);
        var finding = Assert.Single(report.Findings);
        Assert.Equal((BounceKind.NotABounce, "delayed", "4.4.1"), (finding.Kind, finding.Action, finding.Status));
        Assert.Equal(LessonId, report.LessonId);
    }

    [Fact]
    public void Giving_up_on_a_full_mailbox_with_a_4xx_status_is_a_soft_bounce()
    {
        var finding = Assert.Single(Parse(DsnSamples.GaveUpOnFullMailbox).Findings);

        Assert.Equal((BounceKind.SoftBounce, "4.2.2"), (finding.Kind, finding.Status));
    }

    [Fact]
    public void A_5_7_1_blocklist_refusal_is_the_senders_own_policy_problem()
    {
        var finding = Assert.Single(Parse(DsnSamples.Policy).Findings);

        Assert.Equal((BounceKind.SenderPolicy, "5.7.1"), (finding.Kind, finding.Status));
        Assert.Contains("zen.spamhaus.org", finding.DiagnosticCode);
    }

    [Fact]
    public void An_arf_abuse_report_is_a_complaint_naming_its_lesson_by_the_original_mail_from()
    {
        var report = Parse(DsnSamples.Complaint);

        Assert.Equal("feedback-report", report.ReportType);
        var finding = Assert.Single(report.Findings);
        Assert.Equal((BounceKind.Complaint, "abuse"), (finding.Kind, finding.Action));
        Assert.Equal("reader@example.net", finding.Recipient);
        Assert.Equal(LessonId, report.LessonId);
        Assert.Equal(MessageId, report.OriginalMessageId);
    }

    [Fact]
    public void A_dmarc_failure_report_is_not_a_complaint()
    {
        var finding = Assert.Single(Parse(DsnSamples.AuthFailureReport).Findings);

        Assert.Equal((BounceKind.NotABounce, "auth-failure"), (finding.Kind, finding.Action));
    }

    [Theory]
    [InlineData(nameof(DsnSamples.AutoReply))]
    [InlineData(nameof(DsnSamples.PlainTextBounce))]
    public void A_message_that_is_not_a_report_gives_nothing(string sample)
    {
        var text = (string)typeof(DsnSamples).GetField(sample)!.GetValue(null)!;

        var report = Parse(text);

        Assert.Same(BounceReport.None, report);
        Assert.Empty(report.Findings);
        Assert.Null(report.LessonId);
        Assert.Null(report.OriginalMessageId);
    }

    [Fact]
    public void Without_a_return_path_template_the_original_message_id_still_names_the_lesson()
    {
        var report = DsnParser.Parse(DsnSamples.Load(DsnSamples.Office365, "bootcamp@example.org", MessageId), returnPaths: null);

        Assert.Null(report.LessonId);
        Assert.Equal(MessageId, report.OriginalMessageId);
    }

    [Fact]
    public void A_dsn_quoting_no_headers_falls_back_to_its_in_reply_to()
    {
        var gmail = DsnSamples.Load(DsnSamples.Gmail, Verp, MessageId);
        var parts = Assert.IsType<MimeKit.MultipartReport>(gmail.Body);
        parts.RemoveAt(parts.Count - 1);

        Assert.Equal(MessageId, DsnParser.Parse(gmail).OriginalMessageId);
    }

    [Fact]
    public void A_global_delivery_status_with_base64_headers_is_read_too()
    {
        var report = DsnParser.Parse(DsnSamples.Load(DsnSamples.GlobalDeliveryStatusWithHeaders(MessageId), Verp, MessageId), Codec);

        var finding = Assert.Single(report.Findings);
        Assert.Equal((BounceKind.HardBounce, "5.1.1", "reader@example.net"), (finding.Kind, finding.Status, finding.Recipient));
        Assert.Equal(MessageId, report.OriginalMessageId);
        Assert.Equal(LessonId, report.LessonId);
    }

    [Fact]
    public void A_return_path_with_an_altered_id_names_no_lesson_and_is_flagged_forged()
    {
        var forged = Verp.Replace("4711-", "4712-", StringComparison.Ordinal);

        var report = Parse(DsnSamples.Postfix, verp: forged);

        Assert.Null(report.LessonId);
        Assert.True(report.ForgedReturnPath);
        // The quoted Message-ID still stands on its own.
        Assert.Equal(MessageId, report.OriginalMessageId);
    }

    [Fact]
    public void A_return_path_lower_cased_by_an_mta_still_names_its_lesson()
    {
        var codec = new ReturnPathCodec("Bounces+{id}@Example.ORG", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

        var report = DsnParser.Parse(DsnSamples.Load(DsnSamples.Postfix, codec.AddressFor(LessonId).ToLowerInvariant(), MessageId), codec);

        Assert.Equal(LessonId, report.LessonId);
    }

    [Fact]
    public void The_most_severe_of_several_recipient_groups_decides()
    {
        var report = new BounceReport("delivery-status",
            [new(BounceKind.NotABounce, "a@example.net", "delayed", "4.4.1", null), new(BounceKind.HardBounce, "a@example.net", "failed", "5.1.1", null)],
            null, null, false);

        Assert.Equal(BounceKind.HardBounce, report.Decisive!.Kind);
    }
}
