using NodaTime;
using NodaTime.TimeZones;

namespace Bootcamp.Domain;

/// <summary>
/// When each of the seven lessons falls due. Lesson 1 goes out at confirmation; lessons 2–7 at
/// <c>sendAt</c> local time on the following local days, or <c>dayLength</c> apart in demo mode.
/// </summary>
public static class LessonSchedule
{
    public static readonly Duration OneDay = Duration.FromDays(1);

    public static Instant[] DueTimes(Instant confirmedAt, DateTimeZone zone, LocalTime sendAt, Duration dayLength)
    {
        var due = new Instant[Campaign.LessonCount];
        due[0] = confirmedAt;
        if (dayLength < OneDay)
        {
            for (var i = 1; i < due.Length; i++)
            {
                due[i] = confirmedAt + dayLength * i;
            }
            return due;
        }

        // Whole days: lesson N+1 on the Nth local day after the confirmation day. A confirmation just
        // before 08:00 still waits for tomorrow's 08:00, so lesson 1 and 2 never arrive minutes apart.
        var confirmedDate = confirmedAt.InZone(zone).Date;
        var daysPerLesson = (int)Math.Max(1, dayLength.TotalDays);
        for (var i = 1; i < due.Length; i++)
        {
            var localDay = confirmedDate.PlusDays(i * daysPerLesson);
            // Lenient resolution: a send time inside a spring-forward gap moves forward by the gap,
            // and an ambiguous one in the autumn fold takes the earlier instant.
            due[i] = localDay.At(sendAt).InZone(zone, Resolvers.LenientResolver).ToInstant();
        }
        return due;
    }
}
