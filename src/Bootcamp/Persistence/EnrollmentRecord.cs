using Bootcamp.Domain;

namespace Bootcamp.Persistence;

/// <summary>One sign-up of one address: consent, state, and its seven lessons. An address may have several over time.</summary>
public sealed class EnrollmentRecord
{
    public long Id { get; set; }
    /// <summary>The address as the subscriber typed it (mail goes here).</summary>
    public required string Email { get; set; }
    /// <summary>Lower-cased address: what sign-ups and admin searches look up.</summary>
    public required string EmailKey { get; set; }
    public string? FirstName { get; set; }
    public required string TimeZone { get; set; }
    public bool Discreet { get; set; }
    /// <summary>The reader asked not to have opens and clicks tracked.</summary>
    public bool NoTracking { get; set; }
    /// <summary>"Where are you now?", if the reader said; stored by its wire name.</summary>
    public Stage? Stage { get; set; }
    public EnrollmentStatus Status { get; set; }

    public DateTime CreatedAt { get; set; }
    /// <summary>Which form the consent was given on ("web" or "api").</summary>
    public required string ConsentSource { get; set; }
    public required string ConsentVersion { get; set; }
    /// <summary>When a confirmation was last asked for (sign-up or repeat sign-up): drives the once-an-hour rule.</summary>
    public DateTime? ConfirmationRequestedAt { get; set; }
    /// <summary>When the confirmation job last sent one; a job sends only when this is older than the request.</summary>
    public DateTime? ConfirmationSentAt { get; set; }
    public DateTime? ConfirmedAt { get; set; }
    public DateTime? UnsubscribedAt { get; set; }
    public DateTime? BouncedAt { get; set; }
    /// <summary>Every lesson delivered or finally failed.</summary>
    public DateTime? FinishedAt { get; set; }
    /// <summary>The reader marked all seven lessons done.</summary>
    public DateTime? CompletedAt { get; set; }
    /// <summary>While paused: when the pause ends by itself (the reader may resume sooner).</summary>
    public DateTime? PausedUntil { get; set; }
    /// <summary>The reader's own send time ("HH:mm"); null: <c>Campaign:SendAt</c>.</summary>
    public string? SendAt { get; set; }
    /// <summary>Consecutive soft bounces; three in a row count as a hard bounce.</summary>
    public int SoftBounces { get; set; }

    // The "you finished" note after lesson 7. Not a lesson (no lessons row, no stats): it is planned only
    // when all seven lessons were delivered, and goes through the same states a lesson does.
    /// <summary>When the note falls due; null while none is planned.</summary>
    public DateTime? FinishedNoteDueAt { get; set; }
    /// <summary>Scheduled, Claimed, Sending, Sent, Failed or Skipped; null: no note planned.</summary>
    public LessonState? FinishedNoteState { get; set; }
    /// <summary>When the current claim was taken; a claim older than the lease is dispatched again.</summary>
    public DateTime? FinishedNoteClaimedAt { get; set; }
    /// <summary>The process holding the note's claim.</summary>
    public string? FinishedNoteClaimedBy { get; set; }
    public int FinishedNoteAttempts { get; set; }
    public DateTime? FinishedNoteSentAt { get; set; }
    public string? FinishedNoteError { get; set; }

    public List<LessonRecord> Lessons { get; set; } = [];
}
