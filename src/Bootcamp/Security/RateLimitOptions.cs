namespace Bootcamp.Security;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-ups accepted per client (see <see cref="ClientKey"/>) per minute (0 = no limit).</summary>
    public int SignupsPerIpPerMinute { get; set; } = 20;

    /// <summary>
    /// Confirmation emails per normalised address (see <c>NormalizedAddress</c>) per <see cref="SignupWindow"/>, counted
    /// in the database so every process shares the budget (0 = no limit). Beyond it a sign-up is answered as any
    /// other and simply sends nothing: the form cannot be used to flood someone's inbox.
    /// </summary>
    public int ConfirmationsPerAddressPerDay { get; set; } = 3;

    /// <summary>
    /// Confirmation emails per destination domain per <see cref="SignupWindow"/> (0 = no limit, the default: the big
    /// providers carry most honest sign-ups, so a low figure would turn honest readers away).
    /// </summary>
    public int ConfirmationsPerDomainPerDay { get; set; }

    /// <summary>The window the two budgets above are counted over.</summary>
    public static readonly TimeSpan SignupWindow = TimeSpan.FromHours(24);

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
