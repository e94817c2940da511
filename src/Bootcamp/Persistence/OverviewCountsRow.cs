namespace Bootcamp.Persistence;

/// <summary>
/// The overview's running totals, by sign-up day (UTC), discretion, course day (0: the course itself,
/// 1–7: its lessons) and shard, kept by triggers (see OverviewTriggers) in the transaction of every
/// change, so the dashboard reads a few hundred rows instead of counting millions.
/// </summary>
public sealed class OverviewCountsRow
{
    public DateOnly Cohort { get; set; }
    public bool Discreet { get; set; }
    public int Day { get; set; }
    public int Shard { get; set; }

    // Day 0: courses.
    public long Enrolled { get; set; }
    public long Confirmed { get; set; }
    public long Finished { get; set; }
    /// <summary>All seven steps done.</summary>
    public long Completed { get; set; }
    /// <summary>Confirmed, then unsubscribed.</summary>
    public long LeftCourse { get; set; }

    // Days 1–7: lessons.
    public long Sent { get; set; }
    public long Opened { get; set; }
    /// <summary>Opened by a machine only (no person yet).</summary>
    public long MachineOpened { get; set; }
    public long Clicked { get; set; }
    /// <summary>"I did today's step".</summary>
    public long Done { get; set; }
    /// <summary>Sent to a reader who did not allow tracking: no pixel, so neither opened nor not.</summary>
    public long Untracked { get; set; }
    /// <summary>Failed for good (bounce, 5xx, policy).</summary>
    public long Failed { get; set; }
}

/// <summary>
/// Things counted per time bucket (UTC): sign-ups, confirmations and finishes per day (the trend), lessons
/// sent and delivery failures per hour (delivery health), and who left after which day (<c>left_N</c>, <c>left_Nd</c>
/// for discreet readers, under the sign-up day), kept by the same triggers.
/// </summary>
public sealed class ActivityCountsRow
{
    public DateTime Bucket { get; set; }
    public required string Name { get; set; }
    public int Shard { get; set; }
    public long Count { get; set; }
}
