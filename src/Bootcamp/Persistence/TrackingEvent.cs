namespace Bootcamp.Persistence;

/// <summary>One open, click or completion, as it happened. Counters on the lesson row answer the dashboard; these answer "when".</summary>
public sealed class TrackingEvent
{
    public long Id { get; set; }
    public long LessonId { get; set; }
    public required string Kind { get; set; }
    public DateTime At { get; set; }
}
