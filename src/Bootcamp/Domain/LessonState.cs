namespace Bootcamp.Domain;

/// <summary>What happened to one lesson. Stored as text.</summary>
public enum LessonState
{
    /// <summary>Waiting for its due time (or for its next attempt after a transient failure).</summary>
    Scheduled,
    /// <summary>Claimed by a dispatcher into a batch; no send attempted yet.</summary>
    Claimed,
    /// <summary>A sender took it and is talking to the mail server. Past its lease it is dispatched again.</summary>
    Sending,
    Sent,
    /// <summary>Permanently failed (5xx, or transient failures past the last retry).</summary>
    Failed,
    /// <summary>Never sent because the enrollment stopped (unsubscribe, bounce, erase).</summary>
    Skipped,
    /// <summary>Its reader paused the course: out of the schedule until they resume, then due again.</summary>
    Held,
}
