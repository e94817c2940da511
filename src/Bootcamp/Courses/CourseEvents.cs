namespace Bootcamp.Courses;

/// <summary>What the outbox records, by the contract's names (webhooks send them as they are).</summary>
public static class CourseEvents
{
    public const string Confirmed = "enrollment.confirmed";
    public const string LessonSent = "lesson.sent";
    public const string LessonCompleted = "lesson.completed";
    public const string Paused = "enrollment.paused";
    public const string Resumed = "enrollment.resumed";
    public const string Finished = "enrollment.finished";
    public const string Completed = "enrollment.completed";
    public const string Unsubscribed = "enrollment.unsubscribed";
    public const string Bounced = "enrollment.bounced";
    public const string Erased = "enrollment.erased";

    public static readonly IReadOnlyList<string> All = [Confirmed, LessonSent, LessonCompleted, Paused, Resumed, Finished, Completed, Unsubscribed, Bounced, Erased];
}
