namespace Bootcamp.Domain;

/// <summary>The enrollment state machine's rules, in one place for the endpoints and the sender.</summary>
public static class EnrollmentRules
{
    /// <summary>Lessons go out only while the enrollment is active.</summary>
    public static bool MaySendLessons(EnrollmentStatus status) => status == EnrollmentStatus.Active;

    public static bool CanConfirm(EnrollmentStatus status) => status == EnrollmentStatus.Pending;

    /// <summary>Unsubscribing is allowed from any state and changes nothing the second time.</summary>
    public static EnrollmentStatus Unsubscribe(EnrollmentStatus status) =>
        status is EnrollmentStatus.Bounced ? status : EnrollmentStatus.Unsubscribed;
}
