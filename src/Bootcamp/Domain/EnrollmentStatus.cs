namespace Bootcamp.Domain;

/// <summary>Where an enrollment stands. Stored as text, so the names are part of the schema.</summary>
public enum EnrollmentStatus
{
    /// <summary>Signed up, confirmation sent, not yet confirmed.</summary>
    Pending,
    /// <summary>Confirmed; lessons are going out.</summary>
    Active,
    /// <summary>Every lesson was delivered (or failed for good) and the campaign ended normally.</summary>
    Finished,
    Unsubscribed,
    Bounced,
    /// <summary>The reader asked for a break: nothing goes out until it ends or they resume.</summary>
    Paused,
}
