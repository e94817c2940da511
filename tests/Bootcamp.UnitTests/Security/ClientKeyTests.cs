using System.Net;
using Bootcamp.Security;

namespace Bootcamp.UnitTests.Security;

public sealed class ClientKeyTests
{
    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:abcd::9")]
    [InlineData("203.0.113.7", "::ffff:203.0.113.7")]
    public void Addresses_of_one_client_share_a_key(string one, string other) =>
        Assert.Equal(ClientKey.Of(IPAddress.Parse(one)), ClientKey.Of(IPAddress.Parse(other)));

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1")]
    [InlineData("2001:db8:1:2::1", "2001:db9:1:2::1")]
    [InlineData("203.0.113.7", "203.0.113.8")]
    [InlineData("::ffff:203.0.113.7", "::ffff:203.0.113.8")]
    public void Addresses_of_different_clients_have_different_keys(string one, string other) =>
        Assert.NotEqual(ClientKey.Of(IPAddress.Parse(one)), ClientKey.Of(IPAddress.Parse(other)));

    [Fact]
    public void A_request_without_an_address_is_counted_with_the_others_without_one() =>
        Assert.Equal(ClientKey.Unknown, ClientKey.Of(null));
}
