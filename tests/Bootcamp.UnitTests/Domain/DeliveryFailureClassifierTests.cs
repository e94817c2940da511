using Bootcamp.Domain;

namespace Bootcamp.UnitTests.Domain;

public sealed class DeliveryFailureClassifierTests
{
    [Theory]
    [InlineData(451, "4.3.0 Temporary system problem, try again later", FailureKind.Transient)]
    [InlineData(421, "Service not available, closing transmission channel", FailureKind.Transient)]
    [InlineData(450, "4.2.1 Mailbox busy", FailureKind.Transient)]
    [InlineData(550, "5.1.1 <nobody@example.org>: Recipient address rejected: User unknown", FailureKind.HardBounce)]
    [InlineData(550, "5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", FailureKind.HardBounce)]
    [InlineData(553, "5.1.3 The recipient address is not a valid RFC 5321 address", FailureKind.HardBounce)]
    [InlineData(554, "5.7.1 Message rejected under our policy", FailureKind.SenderPolicy)]
    [InlineData(550, "5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy", FailureKind.SenderPolicy)]
    [InlineData(552, "5.2.2 Mailbox full", FailureKind.Permanent)]
    [InlineData(550, "Requested action not taken: mailbox unavailable", FailureKind.Permanent)]
    [InlineData(554, null, FailureKind.Permanent)]
    public void An_smtp_reply_is_classified_by_its_codes(int status, string? reply, FailureKind expected)
    {
        Assert.Equal(expected, DeliveryFailureClassifier.Classify(status, reply).Kind);
    }

    [Theory]
    [InlineData(553, "5.1.8 <bootcamp@example.org>: Sender address rejected: Domain not found")]
    [InlineData(550, "5.1.7 Invalid address <bootcamp@example.org>: bad sender's mailbox address syntax")]
    public void A_refusal_of_our_own_sender_address_does_not_bounce_the_reader(int status, string reply)
    {
        // RFC 3463: X.1.7 and X.1.8 are about the sender's address. Were they hard bounces, one broken DNS
        // record for the From domain would bounce and suppress every reader the batch reaches.
        Assert.NotEqual(FailureKind.HardBounce, DeliveryFailureClassifier.Classify(status, reply).Kind);
    }

    [Fact]
    public void A_temporary_basic_code_stays_transient_whatever_the_enhanced_code_says()
    {
        Assert.Equal(FailureKind.Transient, DeliveryFailureClassifier.Classify(450, "5.1.1 odd server").Kind);
    }

    [Fact]
    public void The_failure_keeps_the_status_the_enhanced_code_and_the_reply()
    {
        var failure = DeliveryFailureClassifier.Classify(550, "5.1.1 User unknown");

        Assert.Equal(new DeliveryFailure(FailureKind.HardBounce, 550, "5.1.1", "5.1.1 User unknown"), failure);
    }

    [Fact]
    public void A_missing_reply_text_becomes_an_empty_message()
    {
        var failure = DeliveryFailureClassifier.Classify(421, null);

        Assert.Equal(string.Empty, failure.Message);
        Assert.Null(failure.EnhancedCode);
    }

    [Fact]
    public void The_enhanced_code_is_found_in_gmails_unknown_user_reply()
    {
        const string gmail = """
            5.1.1 The email account that you tried to reach does not exist. Please try
            5.1.1 double-checking the recipient's email address for typos or
            5.1.1 unnecessary spaces. For more information, go to
            5.1.1  https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-b9a2c3c1f0esi123456a.12 - gsmtp
            """;

        Assert.Equal("5.1.1", DeliveryFailureClassifier.EnhancedCode(gmail));
        Assert.Equal(FailureKind.HardBounce, DeliveryFailureClassifier.Classify(550, gmail).Kind);
    }

    [Fact]
    public void The_enhanced_code_is_found_in_outlooks_blocklist_reply_despite_the_ip_address()
    {
        const string outlook = "5.7.1 Service unavailable, Client host [203.0.113.45] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/203.0.113.45 (AS3130). [BN8NAM12FT055.eop-nam12.prod.protection.outlook.com 2026-06-10T08:00:01.123Z 08DC1234ABCD5678]";

        Assert.Equal("5.7.1", DeliveryFailureClassifier.EnhancedCode(outlook));
        Assert.Equal(FailureKind.SenderPolicy, DeliveryFailureClassifier.Classify(550, outlook).Kind);
    }

    [Fact]
    public void The_enhanced_code_is_found_in_postfixs_greylisting_reply()
    {
        const string postfix = "4.7.1 <ann@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html";

        Assert.Equal("4.7.1", DeliveryFailureClassifier.EnhancedCode(postfix));
        Assert.Equal(FailureKind.Transient, DeliveryFailureClassifier.Classify(450, postfix).Kind);
    }

    [Theory]
    [InlineData("Client host [5.1.1.9] blocked")]
    [InlineData("queued as 2.0.0.1234")]
    [InlineData("version 5.1.12.3")]
    [InlineData("no code here")]
    [InlineData("")]
    [InlineData(null)]
    public void Dotted_numbers_that_are_not_an_enhanced_code_are_not_taken_for_one(string? reply)
    {
        Assert.Null(DeliveryFailureClassifier.EnhancedCode(reply));
    }

    [Fact]
    public void An_ip_address_after_the_enhanced_code_does_not_hide_it()
    {
        Assert.Equal("5.1.1", DeliveryFailureClassifier.EnhancedCode("5.1.1 <x@y.org>... User unknown (from 5.1.1.9)"));
    }
}
