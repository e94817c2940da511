namespace Bootcamp.Persistence;

/// <summary>
/// One thing that happened in a course, written by the transition that made it happen, in the same
/// transaction. Webhooks, counters and anything later read from here. Ids and the day only: no address
/// or name, so it outlives an erasure and says nothing about the reader.
/// </summary>
public sealed class OutboxEvent
{
    public long Id { get; set; }
    public long EnrollmentId { get; set; }
    /// <summary>The contract's event name, such as <c>lesson.sent</c>.</summary>
    public required string Type { get; set; }
    public int? Day { get; set; }
    public DateTime OccurredAt { get; set; }
}
