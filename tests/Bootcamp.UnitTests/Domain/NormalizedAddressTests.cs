using Bootcamp.Domain;

namespace Bootcamp.UnitTests.Domain;

public sealed class NormalizedAddressTests
{
    [Theory]
    [InlineData("victim+1@gmail.com", "victim@gmail.com")]
    [InlineData("v.ictim@gmail.com", "victim@gmail.com")]
    [InlineData("VICTIM@GMAIL.COM", "victim@gmail.com")]
    [InlineData("V.i.c.t.i.m+news@GoogleMail.com", "victim@gmail.com")]
    // Elsewhere a dot may be another person; only the tag and the case are dropped.
    [InlineData("first.last+tag@Example.org", "first.last@example.org")]
    [InlineData("first.last@example.org", "first.last@example.org")]
    // A local part that is all tag is kept as it is: nothing is left to count it by otherwise.
    [InlineData("+only@example.org", "+only@example.org")]
    public void Spellings_that_reach_one_inbox_count_as_one(string address, string expected)
    {
        Assert.Equal(expected, NormalizedAddress.Of(address));
    }

    [Fact]
    public void The_domain_limit_counts_the_provider_not_its_alias()
    {
        Assert.Equal("gmail.com", NormalizedAddress.DomainOf("someone@googlemail.com"));
        Assert.Equal("example.org", NormalizedAddress.DomainOf("Someone@Example.ORG"));
    }
}
