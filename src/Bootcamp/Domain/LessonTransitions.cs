namespace Bootcamp.Domain;

/// <summary>The enrollment state machine's rules, in one place for the endpoints and the sender.</summary>
public static class EnrollmentRules
{
    /// <summary>Lessons go out only while the enrollment is active.</summary>
    public static bool MaySendLessons(EnrollmentStatus status) => status == EnrollmentStatus.Active;

    public static bool CanConfirm(EnrollmentStatus status) => status == EnrollmentStatus.Pending;

    /// <summary>The states an unsubscribe moves to Unsubscribed; the record's conditional update uses this list.</summary>
    public static readonly EnrollmentStatus[] EndedByUnsubscribe = [EnrollmentStatus.Pending, EnrollmentStatus.Active];

    /// <summary>
    /// Unsubscribing is allowed from any state and changes nothing the second time. A finished course stays
    /// finished (only the withdrawal is recorded) and a bounced one stays bounced, so the stats keep meaning.
    /// </summary>
    public static EnrollmentStatus Unsubscribe(EnrollmentStatus status) =>
        Array.IndexOf(EndedByUnsubscribe, status) >= 0 ? EnrollmentStatus.Unsubscribed : status;
}
