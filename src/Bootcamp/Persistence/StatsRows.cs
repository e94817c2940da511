namespace Bootcamp.Persistence;

/// <summary>
/// Running totals per lesson day, kept by database triggers on <c>lessons</c> (see the Stats
/// migrations), so the dashboard reads a few dozen rows instead of counting millions. Rows are spread
/// over shards so concurrent senders don't queue on one row.
/// </summary>
public sealed class LessonStatsRow
{
    public int Day { get; set; }
    public int Shard { get; set; }
    public long Sent { get; set; }
    public long Opened { get; set; }
    /// <summary>Lessons opened only by a machine (no human open yet).</summary>
    public long MachineOpened { get; set; }
    public long Clicked { get; set; }
    public long Completed { get; set; }
}

/// <summary>Running totals of enrollments per status (and "completed"), kept by triggers on <c>enrollments</c>.</summary>
public sealed class EnrollmentStatsRow
{
    public required string Name { get; set; }
    public int Shard { get; set; }
    public long Count { get; set; }
}
