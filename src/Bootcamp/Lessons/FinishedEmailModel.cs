namespace Bootcamp.Lessons;

/// <summary>
/// The short "you finished" note after the seventh lesson. Not a lesson: no day, no step, no tracking
/// (plain links only, no pixel) and no unsubscribe link, because nothing is ever sent after it.
/// </summary>
public sealed class FinishedEmailModel : EmailModel
{
    /// <summary>The crisis line for the safety box (Campaign:CrisisLine).</summary>
    public required string CrisisLine { get; init; }
}
