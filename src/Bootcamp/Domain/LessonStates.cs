namespace Bootcamp.Domain;

/// <summary>Groups of lesson states the record asks about, defined once for LINQ and SQL alike.</summary>
public static class LessonStates
{
    /// <summary>
    /// Still on its way: waiting, held by a pause, claimed by a dispatcher, or being sent. A course with one left
    /// is not over, and a lesson waits while the one before it is on its way (in order, always).
    /// </summary>
    public static readonly LessonState[] OnItsWay = [LessonState.Scheduled, LessonState.Claimed, LessonState.Sending, LessonState.Held];

    /// <summary>Not yet taken by a sender: a stop (unsubscribe, bounce, erase) can still keep these from going out.</summary>
    public static readonly LessonState[] NotYetTaken = [LessonState.Scheduled, LessonState.Claimed, LessonState.Held];

    /// <summary>What an admin may send again: a lesson that went out, or one that failed for good. One still on its way goes by itself.</summary>
    public static readonly LessonState[] Resendable = [LessonState.Sent, LessonState.Failed];

    public static bool IsOnItsWay(LessonState state) => Array.IndexOf(OnItsWay, state) >= 0;

    /// <summary>The SQL list for <c>state IN …</c>: <c>('Scheduled', 'Claimed')</c>.</summary>
    public static string Sql(IEnumerable<LessonState> states) => $"({string.Join(", ", states.Select(s => $"'{s}'"))})";
}
