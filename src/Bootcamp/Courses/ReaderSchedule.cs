using Bootcamp.Lessons;
using NodaTime;
using NodaTime.Text;

namespace Bootcamp.Courses;

/// <summary>One reader's clock: their zone, their send time (or the campaign's), and the course's day length.</summary>
public sealed record ReaderSchedule(DateTimeZone Zone, LocalTime SendAt, Duration DayLength)
{
    private static readonly LocalTimePattern Pattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public static ReaderSchedule Of(CampaignOptions campaign, string timeZone, string? sendAt) => new(
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) ?? DateTimeZone.Utc,
        campaign.SendAtFor(sendAt),
        Duration.FromTimeSpan(campaign.DayLength));

    public static string Format(LocalTime time) => Pattern.Format(time);
}
