using Bootcamp.Domain;

namespace Bootcamp.Persistence;

/// <summary>One lesson of one enrollment: the schedule and the record of what happened to it.</summary>
public sealed class LessonRecord
{
    public long Id { get; set; }
    public long EnrollmentId { get; set; }
    public EnrollmentRecord? Enrollment { get; set; }
    public int Day { get; set; }
    public DateTime DueAt { get; set; }
    public LessonState State { get; set; }
    /// <summary>When the current claim was taken; a claim older than the lease is dispatched again.</summary>
    public DateTime? ClaimedAt { get; set; }
    /// <summary>The process holding the claim (see ClaimOwner); its claims are taken over once its heartbeat stops.</summary>
    public string? ClaimedBy { get; set; }
    public int Attempts { get; set; }
    public DateTime? SentAt { get; set; }
    public string? MessageId { get; set; }
    public string? LastError { get; set; }
    /// <summary>The mail server's answer when it accepted the lesson (or, after an admin's resend, the resend), redacted: SmtpReply.</summary>
    public string? SmtpReply { get; set; }
    /// <summary>The content links of the email as built, newline-separated; click tokens point at an index here.</summary>
    public string? Links { get; set; }

    /// <summary>First open by a person.</summary>
    public DateTime? OpenedAt { get; set; }
    /// <summary>First open by a machine (privacy proxy, scanner).</summary>
    public DateTime? MachineOpenedAt { get; set; }
    public DateTime? ClickedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    /// <summary>How many times an admin sent this lesson again. Never a send of its own: state, sent_at and the counters stay.</summary>
    public int Resends { get; set; }
    /// <summary>When an admin's last resend was accepted by the mail server.</summary>
    public DateTime? ResentAt { get; set; }
    /// <summary>While an admin's resend is under way; one older than the claim lease may be taken over.</summary>
    public DateTime? ResendClaimedAt { get; set; }
}
