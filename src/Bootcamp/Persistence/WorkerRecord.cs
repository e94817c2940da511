namespace Bootcamp.Persistence;

/// <summary>A running process that may hold claims, and when it last said it was alive.</summary>
public sealed class WorkerRecord
{
    public required string Id { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime HeartbeatAt { get; set; }
}
