using System.Threading.RateLimiting;
using Bootcamp.Domain;
using Bootcamp.Security;
using Microsoft.Extensions.Options;

namespace Bootcamp.Enrollment;

/// <summary>The per-address limit: it needs the parsed address, so it runs inside the handler.</summary>
public sealed class AddressRateLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly int _perHour = options.Value.SignupsPerAddressPerHour;

    // A partition per address seen; its heartbeat walks them all ten times a second and lets go only of
    // limiters that idle, which a "no limit" partition never reports. With the limit off there are none.
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignupsPerAddressPerHour,
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
        }));

    public bool TryAcquire(string address)
    {
        if (_perHour <= 0)
        {
            return true;
        }
        using var lease = _limiter.AttemptAcquire(EmailAddress.Key(address));
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
