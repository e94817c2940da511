namespace Bootcamp.Persistence;

/// <summary>Running totals of enrollments per status (and "completed"), kept by triggers on <c>enrollments</c>.</summary>
public sealed class EnrollmentStatsRow
{
    public required string Name { get; set; }
    public int Shard { get; set; }
    public long Count { get; set; }
}
