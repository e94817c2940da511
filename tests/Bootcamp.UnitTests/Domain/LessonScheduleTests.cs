using Bootcamp.Domain;
using NodaTime;
using NodaTime.Text;

namespace Bootcamp.UnitTests.Domain;

public sealed class LessonScheduleTests
{
    private static readonly LocalTime Eight = new(8, 0);

    [Fact]
    public void Lesson_one_is_due_the_moment_the_subscriber_confirms()
    {
        var confirmed = Instant.FromUtc(2026, 6, 10, 1, 23, 45);

        var due = LessonSchedule.DueTimes(confirmed, Zone("Asia/Tokyo"), Eight, LessonSchedule.OneDay);

        Assert.Equal(confirmed, due[0]);
    }

    [Fact]
    public void There_are_seven_lessons()
    {
        var due = new ScheduleBuilder("Europe/Paris").ConfirmedAt("2026-06-10T12:00").Build();

        Assert.Equal(7, due.Length);
    }

    [Fact]
    public void Lessons_two_to_seven_are_due_at_eight_on_the_following_days_in_tokyo()
    {
        var schedule = new ScheduleBuilder("Asia/Tokyo").ConfirmedAt("2026-06-10T10:00");

        Assert.Equal(
            ["2026-06-11T08:00", "2026-06-12T08:00", "2026-06-13T08:00", "2026-06-14T08:00", "2026-06-15T08:00", "2026-06-16T08:00"],
            schedule.LocalTimesOfLessonsTwoToSeven());
        // Tokyo keeps UTC+9 all year: 08:00 there is 23:00 UTC the day before.
        Assert.Equal(Instant.FromUtc(2026, 6, 10, 23, 0), schedule.Build()[1]);
    }

    [Fact]
    public void Lessons_two_to_seven_are_due_at_eight_on_the_following_days_in_paris()
    {
        var schedule = new ScheduleBuilder("Europe/Paris").ConfirmedAt("2026-06-10T10:00");

        Assert.Equal(
            ["2026-06-11T08:00", "2026-06-12T08:00", "2026-06-13T08:00", "2026-06-14T08:00", "2026-06-15T08:00", "2026-06-16T08:00"],
            schedule.LocalTimesOfLessonsTwoToSeven());
        Assert.Equal(Instant.FromUtc(2026, 6, 11, 6, 0), schedule.Build()[1]);
    }

    [Fact]
    public void Lessons_two_to_seven_are_due_at_eight_on_the_following_days_in_new_york()
    {
        var schedule = new ScheduleBuilder("America/New_York").ConfirmedAt("2026-06-10T10:00");

        Assert.Equal(
            ["2026-06-11T08:00", "2026-06-12T08:00", "2026-06-13T08:00", "2026-06-14T08:00", "2026-06-15T08:00", "2026-06-16T08:00"],
            schedule.LocalTimesOfLessonsTwoToSeven());
        Assert.Equal(Instant.FromUtc(2026, 6, 11, 12, 0), schedule.Build()[1]);
    }

    [Fact]
    public void Paris_lessons_stay_at_eight_across_the_spring_forward_and_come_an_hour_earlier_in_utc()
    {
        // 29 March 2026, 02:00 CET becomes 03:00 CEST.
        var due = new ScheduleBuilder("Europe/Paris").ConfirmedAt("2026-03-27T12:00").Build();

        Assert.Equal(Instant.FromUtc(2026, 3, 28, 7, 0), due[1]);
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 6, 0), due[2]);
        Assert.Equal(Instant.FromUtc(2026, 3, 30, 6, 0), due[3]);
        Assert.Equal(Instant.FromUtc(2026, 4, 2, 6, 0), due[6]);
    }

    [Fact]
    public void Paris_lessons_stay_at_eight_across_the_fall_back_and_come_an_hour_later_in_utc()
    {
        // 25 October 2026, 03:00 CEST becomes 02:00 CET.
        var due = new ScheduleBuilder("Europe/Paris").ConfirmedAt("2026-10-23T12:00").Build();

        Assert.Equal(Instant.FromUtc(2026, 10, 24, 6, 0), due[1]);
        Assert.Equal(Instant.FromUtc(2026, 10, 25, 7, 0), due[2]);
        Assert.Equal(Instant.FromUtc(2026, 10, 26, 7, 0), due[3]);
    }

    [Fact]
    public void New_york_lessons_stay_at_eight_across_the_spring_forward()
    {
        // 8 March 2026, 02:00 EST becomes 03:00 EDT.
        var due = new ScheduleBuilder("America/New_York").ConfirmedAt("2026-03-06T12:00").Build();

        Assert.Equal(Instant.FromUtc(2026, 3, 7, 13, 0), due[1]);
        Assert.Equal(Instant.FromUtc(2026, 3, 8, 12, 0), due[2]);
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 12, 0), due[3]);
    }

    [Fact]
    public void New_york_lessons_stay_at_eight_across_the_fall_back()
    {
        // 1 November 2026, 02:00 EDT becomes 01:00 EST.
        var due = new ScheduleBuilder("America/New_York").ConfirmedAt("2026-10-30T12:00").Build();

        Assert.Equal(Instant.FromUtc(2026, 10, 31, 12, 0), due[1]);
        Assert.Equal(Instant.FromUtc(2026, 11, 1, 13, 0), due[2]);
        Assert.Equal(Instant.FromUtc(2026, 11, 2, 13, 0), due[3]);
    }

    [Fact]
    public void A_send_time_inside_the_paris_spring_gap_moves_forward_by_the_gap()
    {
        // 02:30 does not exist in Paris on 29 March 2026: the lesson goes out at 03:30 CEST.
        var schedule = new ScheduleBuilder("Europe/Paris").SendAt("02:30").ConfirmedAt("2026-03-28T12:00");

        var due = schedule.Build();

        Assert.Equal(Instant.FromUtc(2026, 3, 29, 1, 30), due[1]);
        Assert.Equal("2026-03-29T03:30", schedule.LocalTimesOfLessonsTwoToSeven()[0]);
        Assert.Equal("2026-03-30T02:30", schedule.LocalTimesOfLessonsTwoToSeven()[1]);
    }

    [Fact]
    public void A_send_time_inside_the_new_york_spring_gap_moves_forward_by_the_gap()
    {
        var schedule = new ScheduleBuilder("America/New_York").SendAt("02:30").ConfirmedAt("2026-03-07T12:00");

        Assert.Equal(Instant.FromUtc(2026, 3, 8, 7, 30), schedule.Build()[1]);
        Assert.Equal("2026-03-08T03:30", schedule.LocalTimesOfLessonsTwoToSeven()[0]);
    }

    [Fact]
    public void A_send_time_that_happens_twice_in_the_paris_fall_back_takes_the_first()
    {
        // 02:30 on 25 October 2026 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
        var due = new ScheduleBuilder("Europe/Paris").SendAt("02:30").ConfirmedAt("2026-10-24T12:00").Build();

        Assert.Equal(Instant.FromUtc(2026, 10, 25, 0, 30), due[1]);
        Assert.Equal(Instant.FromUtc(2026, 10, 26, 1, 30), due[2]);
    }

    [Fact]
    public void A_send_time_that_happens_twice_in_the_new_york_fall_back_takes_the_first()
    {
        var due = new ScheduleBuilder("America/New_York").SendAt("01:30").ConfirmedAt("2026-10-31T12:00").Build();

        Assert.Equal(Instant.FromUtc(2026, 11, 1, 5, 30), due[1]);
    }

    [Fact]
    public void Confirming_one_minute_before_eight_still_waits_for_tomorrows_eight()
    {
        var schedule = new ScheduleBuilder("Europe/Paris").ConfirmedAt("2026-06-10T07:59");

        Assert.Equal("2026-06-11T08:00", schedule.LocalTimesOfLessonsTwoToSeven()[0]);
    }

    [Fact]
    public void Confirming_one_minute_after_eight_gets_lesson_two_tomorrow_at_eight()
    {
        var schedule = new ScheduleBuilder("Europe/Paris").ConfirmedAt("2026-06-10T08:01");

        Assert.Equal("2026-06-11T08:00", schedule.LocalTimesOfLessonsTwoToSeven()[0]);
    }

    [Fact]
    public void Confirming_at_eight_sharp_gets_lesson_two_tomorrow_not_now()
    {
        var schedule = new ScheduleBuilder("Asia/Tokyo").ConfirmedAt("2026-06-10T08:00");

        Assert.Equal("2026-06-11T08:00", schedule.LocalTimesOfLessonsTwoToSeven()[0]);
    }

    [Fact]
    public void Confirming_at_one_minute_to_midnight_local_gets_lesson_two_the_next_morning()
    {
        // 23:59 in New York is already the next day in UTC; the local date is what counts.
        var schedule = new ScheduleBuilder("America/New_York").ConfirmedAt("2026-06-10T23:59");

        Assert.Equal("2026-06-11T08:00", schedule.LocalTimesOfLessonsTwoToSeven()[0]);
        Assert.Equal("2026-06-16T08:00", schedule.LocalTimesOfLessonsTwoToSeven()[5]);
    }

    [Fact]
    public void Confirming_at_one_minute_past_midnight_local_gets_lesson_two_the_morning_after()
    {
        // 00:01 in Tokyo is still the previous day in UTC; the local date is what counts.
        var schedule = new ScheduleBuilder("Asia/Tokyo").ConfirmedAt("2026-06-11T00:01");

        Assert.Equal("2026-06-12T08:00", schedule.LocalTimesOfLessonsTwoToSeven()[0]);
        Assert.Equal("2026-06-17T08:00", schedule.LocalTimesOfLessonsTwoToSeven()[5]);
    }

    [Fact]
    public void Confirming_in_the_night_of_the_paris_spring_forward_counts_days_from_that_local_date()
    {
        // 01:59 CET on 29 March, one minute before the clocks jump.
        var schedule = new ScheduleBuilder("Europe/Paris").ConfirmedAt("2026-03-29T01:59");

        Assert.Equal("2026-03-30T08:00", schedule.LocalTimesOfLessonsTwoToSeven()[0]);
    }

    [Fact]
    public void The_send_time_setting_moves_every_lesson_after_the_first()
    {
        var schedule = new ScheduleBuilder("Europe/Paris").SendAt("18:30").ConfirmedAt("2026-06-10T10:00");

        Assert.All(schedule.LocalTimesOfLessonsTwoToSeven(), t => Assert.EndsWith("T18:30", t, StringComparison.Ordinal));
    }

    [Fact]
    public void In_demo_mode_each_lesson_follows_the_previous_one_after_the_day_length()
    {
        var confirmed = Instant.FromUtc(2026, 3, 29, 0, 59, 30);

        var due = LessonSchedule.DueTimes(confirmed, Zone("Europe/Paris"), Eight, Duration.FromMinutes(2));

        for (var i = 1; i < due.Length; i++)
        {
            Assert.Equal(Duration.FromMinutes(2), due[i] - due[i - 1]);
        }
        Assert.Equal(confirmed, due[0]);
    }

    [Fact]
    public void A_day_length_just_under_a_day_is_still_demo_spacing_and_ignores_the_send_time()
    {
        var confirmed = Instant.FromUtc(2026, 6, 10, 10, 17);
        var dayLength = LessonSchedule.OneDay - Duration.FromSeconds(1);

        var due = LessonSchedule.DueTimes(confirmed, Zone("Asia/Tokyo"), Eight, dayLength);

        Assert.Equal(confirmed + dayLength * 6, due[6]);
    }

    [Fact]
    public void A_day_length_of_two_days_sends_every_other_day_at_eight()
    {
        var schedule = new ScheduleBuilder("Europe/Paris").DayLength(Duration.FromDays(2)).ConfirmedAt("2026-06-10T10:00");

        Assert.Equal(
            ["2026-06-12T08:00", "2026-06-14T08:00", "2026-06-16T08:00", "2026-06-18T08:00", "2026-06-20T08:00", "2026-06-22T08:00"],
            schedule.LocalTimesOfLessonsTwoToSeven());
    }

    [Theory]
    [MemberData(nameof(ZonesWithOddTransitions))]
    public void Due_times_strictly_increase_for_every_confirmation_hour_of_the_year(string zoneId)
    {
        var zone = Zone(zoneId);
        for (var confirmed = Instant.FromUtc(2026, 1, 1, 0, 0); confirmed < Instant.FromUtc(2027, 1, 1, 0, 0); confirmed += Duration.FromMinutes(61))
        {
            foreach (var dayLength in new[] { LessonSchedule.OneDay, Duration.FromMinutes(5) })
            {
                var due = LessonSchedule.DueTimes(confirmed, zone, Eight, dayLength);
                for (var i = 1; i < due.Length; i++)
                {
                    Assert.True(due[i] > due[i - 1], $"{zoneId}, confirmed {confirmed}: lesson {i + 1} at {due[i]} is not after lesson {i} at {due[i - 1]}");
                }
            }
        }
    }

    [Fact]
    public void In_every_time_zone_lessons_two_to_seven_fall_at_eight_on_consecutive_local_days()
    {
        var zones = DateTimeZoneProviders.Tzdb;
        foreach (var id in zones.Ids)
        {
            var zone = zones[id];
            // Dates spread over 2026 so most zones' transitions fall inside a course somewhere.
            for (var confirmed = Instant.FromUtc(2026, 1, 1, 0, 0); confirmed < Instant.FromUtc(2027, 1, 1, 0, 0); confirmed += Duration.FromHours(71))
            {
                var due = LessonSchedule.DueTimes(confirmed, zone, Eight, LessonSchedule.OneDay);
                var confirmedDate = confirmed.InZone(zone).Date;
                for (var i = 1; i < due.Length; i++)
                {
                    var local = due[i].InZone(zone).LocalDateTime;
                    Assert.True(local == confirmedDate.PlusDays(i).At(Eight), $"{id}, confirmed {confirmed}: lesson {i + 1} is due at {local}");
                }
            }
        }
    }

    [Theory]
    // Tokyo keeps UTC+9 all year: 08:00 on the 17th is 23:00 UTC on the 16th.
    [InlineData("Asia/Tokyo", "2026-06-16T08:00", "2026-06-17T08:00", "2026-06-16T23:00:00Z")]
    // Paris springs forward in the night of 28 to 29 March 2026: the note comes at 08:00 CEST, an hour earlier in UTC.
    [InlineData("Europe/Paris", "2026-03-28T08:00", "2026-03-29T08:00", "2026-03-29T06:00:00Z")]
    // New York falls back in the night of 31 October to 1 November 2026: 08:00 EST, an hour later in UTC.
    [InlineData("America/New_York", "2026-10-31T08:00", "2026-11-01T08:00", "2026-11-01T13:00:00Z")]
    public void The_finished_note_is_due_at_eight_on_the_local_day_after_lesson_seven(string zone, string sentLocal, string expectedLocal, string expectedUtc)
    {
        var note = FinishedNote(zone, sentLocal);

        Assert.Equal(expectedLocal, note.Local);
        Assert.Equal(InstantPattern.General.Parse(expectedUtc).Value, note.Due);
    }

    [Fact]
    public void A_finished_note_send_time_inside_the_spring_gap_moves_forward_by_the_gap()
    {
        var note = FinishedNote("Europe/Paris", sentLocal: "2026-03-28T02:30", sendAt: "02:30");

        Assert.Equal("2026-03-29T03:30", note.Local);
    }

    [Fact]
    public void A_lesson_seven_that_went_out_late_in_the_evening_is_followed_by_the_note_the_next_morning()
    {
        // Retries pushed lesson 7 to 23:50; the note still waits for the next local morning, not 24 hours.
        var note = FinishedNote("Europe/Paris", sentLocal: "2026-06-16T23:50");

        Assert.Equal("2026-06-17T08:00", note.Local);
    }

    [Fact]
    public void A_lesson_seven_that_went_out_after_midnight_is_followed_by_the_note_the_morning_after()
    {
        // Lesson 7 was due on the 16th but retries carried it past midnight: the note comes the day after it arrived.
        var note = FinishedNote("America/New_York", sentLocal: "2026-06-17T00:20");

        Assert.Equal("2026-06-18T08:00", note.Local);
    }

    [Fact]
    public void With_a_two_day_spacing_the_finished_note_follows_two_local_days_later()
    {
        var note = FinishedNote("Europe/Paris", sentLocal: "2026-06-16T08:00", dayLength: Duration.FromDays(2));

        Assert.Equal("2026-06-18T08:00", note.Local);
    }

    [Fact]
    public void In_demo_mode_the_finished_note_follows_lesson_seven_after_one_day_length_whatever_the_send_time()
    {
        var sent = Instant.FromUtc(2026, 3, 29, 0, 59, 30);

        var due = LessonSchedule.FinishedNoteDue(sent, Zone("Europe/Paris"), Eight, Duration.FromSeconds(3));

        Assert.Equal(sent + Duration.FromSeconds(3), due);
    }

    [Theory]
    [MemberData(nameof(ZonesWithOddTransitions))]
    public void The_finished_note_falls_after_lesson_seven_on_the_next_local_day_for_every_hour_of_the_year(string zoneId)
    {
        var zone = Zone(zoneId);
        for (var sent = Instant.FromUtc(2026, 1, 1, 0, 0); sent < Instant.FromUtc(2027, 1, 1, 0, 0); sent += Duration.FromMinutes(61))
        {
            var due = LessonSchedule.FinishedNoteDue(sent, zone, Eight, LessonSchedule.OneDay);

            Assert.True(due > sent, $"{zoneId}: lesson 7 at {sent}, note at {due}");
            Assert.Equal(sent.InZone(zone).Date.PlusDays(1), due.InZone(zone).Date);
        }
    }

    private static (Instant Due, string Local) FinishedNote(string zoneId, string sentLocal, string sendAt = "08:00", Duration? dayLength = null)
    {
        var zone = Zone(zoneId);
        var pattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");
        var sent = zone.AtLeniently(pattern.Parse(sentLocal).Value).ToInstant() + Duration.FromSeconds(3);
        var due = LessonSchedule.FinishedNoteDue(sent, zone, LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(sendAt).Value, dayLength ?? LessonSchedule.OneDay);
        return (due, pattern.Format(due.InZone(zone).LocalDateTime));
    }

    /// <summary>Whole-hour, half-hour (Lord Howe) and 02:45 (Chatham) clock changes, and none at all (Tokyo).</summary>
    public static TheoryData<string> ZonesWithOddTransitions() =>
        ["Asia/Tokyo", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham"];

    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    /// <summary>A schedule described the way a subscriber would: their zone, their send time, when they clicked.</summary>
    private sealed class ScheduleBuilder(string zoneId)
    {
        private readonly DateTimeZone _zone = Zone(zoneId);
        private LocalTime _sendAt = Eight;
        private Duration _dayLength = LessonSchedule.OneDay;
        private Instant _confirmed;

        public ScheduleBuilder SendAt(string time)
        {
            _sendAt = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(time).Value;
            return this;
        }

        public ScheduleBuilder DayLength(Duration dayLength)
        {
            _dayLength = dayLength;
            return this;
        }

        /// <summary>The local wall-clock time of the confirmation, in the subscriber's zone.</summary>
        public ScheduleBuilder ConfirmedAt(string localDateTime)
        {
            var local = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm").Parse(localDateTime).Value;
            _confirmed = _zone.AtStrictly(local).ToInstant();
            return this;
        }

        public Instant[] Build() => LessonSchedule.DueTimes(_confirmed, _zone, _sendAt, _dayLength);

        public string[] LocalTimesOfLessonsTwoToSeven() =>
        [
            .. Build().Skip(1).Select(i => LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm").Format(i.InZone(_zone).LocalDateTime)),
        ];
    }
}
