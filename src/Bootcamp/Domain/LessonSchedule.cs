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

    /// <summary>
    /// Due times for the <paramref name="count"/> lessons still to come when a course resumes or its send time
    /// changes: the first at the first <paramref name="sendAt"/> after <paramref name="after"/> and not before the
    /// local day <paramref name="notBefore"/> (when given), the rest one a day after it. Demo mode: one
    /// <paramref name="dayLength"/> after <paramref name="after"/>, then one apart.
    /// </summary>
    public static Instant[] Continue(Instant after, int count, DateTimeZone zone, LocalTime sendAt, Duration dayLength, LocalDate? notBefore = null)
    {
        var due = new Instant[count];
        if (count == 0)
        {
            return due;
        }
        if (dayLength < OneDay)
        {
            for (var i = 0; i < count; i++)
            {
                due[i] = after + dayLength * (i + 1);
            }
            return due;
        }
        var local = after.InZone(zone);
        var day = notBefore is { } earliest && earliest > local.Date ? earliest : local.Date;
        var first = At(day, zone, sendAt);
        if (first <= after)
        {
            first = At(day.PlusDays(1), zone, sendAt);
        }
        due[0] = first;
        var firstDay = first.InZone(zone).Date;
        var daysPerLesson = (int)Math.Max(1, dayLength.TotalDays);
        for (var i = 1; i < count; i++)
        {
            due[i] = At(firstDay.PlusDays(i * daysPerLesson), zone, sendAt);
        }
        return due;
    }

    /// <summary>One lesson spacing later than <paramref name="due"/>, at the reader's send time: "skip tomorrow".</summary>
    public static Instant OneLessonLater(Instant due, DateTimeZone zone, LocalTime sendAt, Duration dayLength) => After(due, 1, zone, sendAt, dayLength);

    // Lenient resolution: a send time inside a spring-forward gap moves forward by the gap,
    // and an ambiguous one in the autumn fold takes the earlier instant.
    private static Instant At(LocalDate day, DateTimeZone zone, LocalTime sendAt) =>
        day.At(sendAt).InZone(zone, Resolvers.LenientResolver).ToInstant();

    /// <summary><paramref name="steps"/> lesson spacings after <paramref name="start"/>.</summary>
    private static Instant After(Instant start, int steps, DateTimeZone zone, LocalTime sendAt, Duration dayLength)
    {
        if (dayLength < OneDay)
        {
            return start + dayLength * steps;
        }
        var daysPerLesson = (int)Math.Max(1, dayLength.TotalDays);
        return At(start.InZone(zone).Date.PlusDays(steps * daysPerLesson), zone, sendAt);
    }
}
