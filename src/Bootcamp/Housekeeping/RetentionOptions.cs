namespace Bootcamp.Housekeeping;

public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>How long a course that ended (finished, unsubscribed, bounced) keeps its personal data, and a pickup file its message.</summary>
    public TimeSpan KeepEndedFor { get; set; } = TimeSpan.FromDays(90);
}
