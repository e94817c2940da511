using Bootcamp.Enrollment;
using Bootcamp.Security;
using Microsoft.Extensions.Options;

namespace Bootcamp.UnitTests.Enrollment;

public sealed class AddressRateLimiterTests
{
    [Fact]
    public void An_address_gets_its_hourly_number_of_sign_ups_however_it_is_spelled()
    {
        using var limiter = new AddressRateLimiter(Options.Create(new RateLimitOptions { SignupsPerAddressPerHour = 2 }));

        Assert.True(limiter.TryAcquire("ann@example.org"));
        Assert.True(limiter.TryAcquire("Ann@Example.org"));
        Assert.False(limiter.TryAcquire("ann@example.org"));
        Assert.True(limiter.TryAcquire("bob@example.org"));
    }

    [Fact]
    public void With_the_limit_off_every_sign_up_goes_through()
    {
        using var limiter = new AddressRateLimiter(Options.Create(new RateLimitOptions { SignupsPerAddressPerHour = 0 }));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(limiter.TryAcquire("ann@example.org")));
    }
}
