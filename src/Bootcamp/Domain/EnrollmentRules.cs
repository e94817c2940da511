namespace Bootcamp.Domain;

/// <summary>The enrollment state machine's rules: what each state allows. The record's updates are conditional on these.</summary>
public static class EnrollmentRules
{
    /// <summary>Lessons go out only while the enrollment is active.</summary>
    public const EnrollmentStatus MaySendLessons = EnrollmentStatus.Active;

    /// <summary>Only a pending sign-up can be confirmed.</summary>
    public const EnrollmentStatus MayConfirm = EnrollmentStatus.Pending;

    /// <summary>A course under way: at most one per address, and a new sign-up for it sends nothing.</summary>
    public static readonly EnrollmentStatus[] Open = [EnrollmentStatus.Pending, EnrollmentStatus.Active, EnrollmentStatus.Paused];

    /// <summary>
    /// What an unsubscribe moves to Unsubscribed. A finished course stays finished (only the withdrawal is
    /// recorded) and a bounced one stays bounced, so the stats keep meaning.
    /// </summary>
    public static readonly EnrollmentStatus[] EndedByUnsubscribe = Open;

    /// <summary>Confirmed and not over: pause, resume, skip and a new send time apply.</summary>
    public static readonly EnrollmentStatus[] Running = [EnrollmentStatus.Active, EnrollmentStatus.Paused];

    /// <summary>
    /// An admin may send a lesson again while the course goes on or after it finished; not while paused (a paused reader
    /// gets nothing), nor once it stopped (unsubscribed, bounced) or was never confirmed.
    /// </summary>
    public static readonly EnrollmentStatus[] MayResend = [EnrollmentStatus.Active, EnrollmentStatus.Finished];

    /// <summary>The SQL list for <c>status IN …</c>.</summary>
    public static string Sql(IEnumerable<EnrollmentStatus> statuses) => $"({string.Join(", ", statuses.Select(s => $"'{s}'"))})";
}
