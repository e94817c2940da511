using Bootcamp.Domain;

namespace Bootcamp.Admin;

// The shape of one person's export (PersonExport), as its JSON reads: records only.

/// <summary>Everything stored about one person; times are UTC.</summary>
public sealed record PersonData(DateTime ExportedAt, string Email, SuppressionData? Suppression, IReadOnlyList<EnrollmentData> Enrollments);

public sealed record SuppressionData(string Reason, DateTime Since);

public sealed record EnrollmentData(
    long Id, EnrollmentStatus Status, string Email, string? FirstName, string TimeZone, string? SendAt, bool Discreet, bool Tracking, string? Stage,
    ConsentData Consent, DateTime? ConfirmationRequestedAt, DateTime? ConfirmationSentAt, DateTime? PausedUntil, DateTime? BouncedAt,
    DateTime? FinishedAt, DateTime? CompletedAt, int SoftBounces, IReadOnlyList<LessonData> Lessons, FinishedNoteData? FinishedNote,
    IReadOnlyList<TrackingData> TrackingEvents, IReadOnlyList<CourseEventData> CourseEvents);

/// <summary>When and on which form consent was given (by the sign-up), confirmed, and withdrawn.</summary>
public sealed record ConsentData(string Source, string TextVersion, DateTime GivenAt, DateTime? ConfirmedAt, DateTime? WithdrawnAt);

public sealed record LessonData(
    int Day, LessonState State, DateTime DueAt, DateTime? SentAt, string? MessageId, int Attempts, string? LastError, DateTime? OpenedAt,
    DateTime? MachineOpenedAt, DateTime? ClickedAt, DateTime? StepDoneAt, int Resends, DateTime? ResentAt, IReadOnlyList<string> Links);

public sealed record FinishedNoteData(LessonState State, DateTime? DueAt, DateTime? SentAt, int Attempts, string? LastError);

public sealed record TrackingData(int Day, string Kind, DateTime At);

public sealed record CourseEventData(string Type, int? Day, DateTime At);
