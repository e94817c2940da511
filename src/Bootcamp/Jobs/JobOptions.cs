namespace Bootcamp.Jobs;

public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Run the Hangfire server and the Quartz scheduler in this process (false: web only; needs PostgreSQL).</summary>
    public bool Worker { get; set; } = true;

    /// <summary>Hangfire workers; 0 = two per SMTP connection.</summary>
    public int Workers { get; set; }

    /// <summary>How often idle Hangfire workers look for new jobs in PostgreSQL.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the housekeeping job runs (expiry of unconfirmed sign-ups, lost confirmations).</summary>
    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromMinutes(5);
}
