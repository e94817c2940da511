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

    /// <summary>POSTs to /admin/login per client per minute (0 = no limit): enough for a person's typos, not for guessing.</summary>
    public int AdminSignInsPerClientPerMinute { get; set; } = 10;

    /// <summary>POSTs to /admin/login per minute from everyone together, per process (0 = no limit): guessing from many addresses at once.</summary>
    public int AdminSignInsPerMinute { get; set; } = 60;
}
