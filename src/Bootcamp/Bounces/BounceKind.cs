namespace Bootcamp.Bounces;

/// <summary>What one status group or feedback report says happened, least to most severe.</summary>
public enum BounceKind
{
    /// <summary>Delayed, delivered, relayed, expanded; a feedback report that is not a complaint.</summary>
    NotABounce,
    /// <summary>Failed with a 4.x.x status: the remote MTA gave up on a transient error. Three in a row count as hard.</summary>
    SoftBounce,
    /// <summary>Failed with another 5.x.x status: this message failed for good; the address stays.</summary>
    Permanent,
    /// <summary>Failed with 5.7.x: policy or authentication, the sender's own fault. No suppression; alert.</summary>
    SenderPolicy,
    /// <summary>Failed with 5.1.x: the mailbox does not exist. Bounce the enrollment, suppress the address.</summary>
    HardBounce,
    /// <summary>An ARF abuse (or fraud) report: the reader called it spam. Stop and suppress.</summary>
    Complaint,
}
