namespace Bootcamp.Security;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-ups accepted per client (see <see cref="ClientKey"/>) per minute (0 = no limit).</summary>
    public int SignupsPerIpPerMinute { get; set; } = 20;

    /// <summary>Sign-ups accepted per target address per hour (0 = no limit).</summary>
    public int SignupsPerAddressPerHour { get; set; } = 5;

    /// <summary>
    /// Requests per client per minute to the pages a lesson's links open (confirm, click, done, unsubscribe,
    /// manage), 0 = no limit. A reader never comes near it; a forwarded lesson replayed by a script does.
    /// </summary>
    public int TokenRequestsPerClientPerMinute { get; set; } = 60;
}
