using Bootcamp.Domain;

namespace Bootcamp.UnitTests.Domain;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("5.1.1 <ann.lee+x@mail.example.org>: Recipient address rejected: User unknown", "5.1.1 <<address>>: Recipient address rejected: User unknown")]
    [InlineData("smtp; 550 5.1.1 ann@example.org... User unknown", "smtp; 550 5.1.1 <address> User unknown")]
    [InlineData("4.2.0 Mailbox busy, try again later", "4.2.0 Mailbox busy, try again later")]
    public void Addresses_in_a_server_reply_are_replaced_and_the_rest_is_kept(string reply, string expected)
    {
        Assert.Equal(expected, Redaction.Addresses(reply));
    }

    [Fact]
    public void A_redacted_reply_still_classifies_as_the_original_does()
    {
        var failure = DeliveryFailureClassifier.Classify(550, Redaction.Addresses("5.1.1 <ann@example.org>: Recipient address rejected"));

        Assert.Equal((FailureKind.HardBounce, "5.1.1"), (failure.Kind, failure.EnhancedCode));
        Assert.DoesNotContain("ann@example.org", failure.Message);
    }
}
