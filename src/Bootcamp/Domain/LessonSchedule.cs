using NodaTime;
using NodaTime.TimeZones;

namespace Bootcamp.Domain;

/// <summary>
/// When each of the seven lessons falls due. Lesson 1 goes out at confirmation; lessons 2–7 at
/// <c>sendAt</c> local time on the following local days, or <c>dayLength</c> apart in demo mode.
/// The "you finished" note follows the last lesson at the same spacing.
/// </summary>
public static class LessonSchedule
{
    public static readonly Duration OneDay = Duration.FromDays(1);

    public static Instant[] DueTimes(Instant confirmedAt, DateTimeZone zone, LocalTime sendAt, Duration dayLength)
    {
        var due = new Instant[Campaign.LessonCount];
        due[0] = confirmedAt;
        for (var i = 1; i < due.Length; i++)
        {
            // Whole days: lesson N+1 on the Nth local day after the confirmation day. A confirmation just
            // before 08:00 still waits for tomorrow's 08:00, so lesson 1 and 2 never arrive minutes apart.
            due[i] = After(confirmedAt, i, zone, sendAt, dayLength);
        }
        return due;
    }

    /// <summary>
    /// The "you finished" note: at <c>sendAt</c> on the local day after the seventh lesson actually went
    /// out (one lesson's spacing later), or one <c>dayLength</c> after it in demo mode.
    /// </summary>
    public static Instant FinishedNoteDue(Instant lastLessonSentAt, DateTimeZone zone, LocalTime sendAt, Duration dayLength) =>
        After(lastLessonSentAt, 1, zone, sendAt, dayLength);

    /// <summary><paramref name="steps"/> lesson spacings after <paramref name="start"/>.</summary>
    private static Instant After(Instant start, int steps, DateTimeZone zone, LocalTime sendAt, Duration dayLength)
    {
        if (dayLength < OneDay)
        {
            return start + dayLength * steps;
        }
        var daysPerLesson = (int)Math.Max(1, dayLength.TotalDays);
        var localDay = start.InZone(zone).Date.PlusDays(steps * daysPerLesson);
        // Lenient resolution: a send time inside a spring-forward gap moves forward by the gap,
        // and an ambiguous one in the autumn fold takes the earlier instant.
        return localDay.At(sendAt).InZone(zone, Resolvers.LenientResolver).ToInstant();
    }
}
