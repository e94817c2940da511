namespace Bootcamp.Persistence;

/// <summary>Where one webhook delivery stands. Stored as text.</summary>
public enum WebhookState
{
    /// <summary>Waiting for its due time (first attempt, or the next after a failure).</summary>
    Scheduled,
    /// <summary>Claimed by a dispatcher into a batch; past its lease it is claimed again.</summary>
    Claimed,
    Delivered,
    /// <summary>Every attempt failed; given up (shown on the dashboard).</summary>
    Failed,
}

/// <summary>One outbox event on its way to one endpoint: the same event id on every attempt.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    /// <summary>The endpoint's URL, as configured.</summary>
    public required string Endpoint { get; set; }
    public long EventId { get; set; }
    public long EnrollmentId { get; set; }
    public WebhookState State { get; set; }
    public int Attempts { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? ClaimedAt { get; set; }
    /// <summary>The process holding the claim.</summary>
    public string? ClaimedBy { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>How far into the outbox an endpoint's deliveries have been planned.</summary>
public sealed class WebhookCursor
{
    public required string Endpoint { get; set; }
    public long LastEventId { get; set; }
}
