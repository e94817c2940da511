namespace Bootcamp.Domain;

/// <summary>How a failed delivery attempt is treated.</summary>
public enum FailureKind
{
    /// <summary>4xx, a dropped connection, a timeout: try again after the next retry delay.</summary>
    Transient,
    /// <summary>5.1.x: the mailbox does not exist. Bounce the enrollment and suppress the address.</summary>
    HardBounce,
    /// <summary>5.7.x: policy or authentication, the sender's own fault. Fail the lesson, keep the address, alert.</summary>
    SenderPolicy,
    /// <summary>Any other 5xx: this message failed for good; the address stays.</summary>
    Permanent,
}

public sealed record DeliveryFailure(FailureKind Kind, int StatusCode, string? EnhancedCode, string Message);
