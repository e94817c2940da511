using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.Persistence;
using Bootcamp.UnitTests.Delivery;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Bootcamp.UnitTests.Courses;

/// <summary>
/// Every transition of the course's record on both providers: what it changes, what it refuses, and the
/// events it leaves in the outbox. The reader is in Berlin, where summer time starts on 29 March 2026.
/// </summary>
public sealed class CourseRecordTests
{
    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    private static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Confirming_starts_seven_lessons_at_eight_in_the_readers_zone_once(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var id = await rig.SeedPendingAsync("ann@example.org");

        var first = await rig.RecordAsync(r => r.ConfirmAsync(id, CancellationToken.None));
        var second = await rig.RecordAsync(r => r.ConfirmAsync(id, CancellationToken.None));

        Assert.Equal(Change.Done, first.Change);
        Assert.Equal(Change.Already, second.Change);
        var enrollment = await rig.EnrollmentAsync(id);
        Assert.Equal(EnrollmentStatus.Active, enrollment.Status);
        Assert.Equal(first.FirstLessonId, enrollment.Lessons[0].Id);
        Assert.Equal(LessonState.Claimed, enrollment.Lessons[0].State);
        // 08:00 in Berlin is 07:00 UTC in winter; lessons 2-7 on the following days.
        Assert.Equal([.. Enumerable.Range(21, 6).Select(d => Utc(3, d, 7))], enrollment.Lessons.Skip(1).Select(l => l.DueAt));
        Assert.Equal(["enrollment.confirmed"], await rig.EventsAsync(id));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_paused_reader_is_never_claimed_and_resumes_in_order_at_their_send_time_across_summer_time(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var id = await ConfirmedWithLessonOneSentAsync(rig);

        Assert.Equal(Change.Done, await rig.RecordAsync(r => r.PauseAsync(id, 30, CancellationToken.None)));
        rig.Time.SetUtcNow(new DateTimeOffset(Utc(3, 24, 12)));
        var claimedWhilePaused = await rig.LessonsAsync(s => s.ClaimDueAsync(rig.Now, rig.Now.AddMinutes(-10), 100, CancellationToken.None));
        var paused = await rig.EnrollmentAsync(id);
        Assert.Equal(Change.Done, await rig.RecordAsync(r => r.ResumeAsync(id, CancellationToken.None)));
        var resumed = await rig.EnrollmentAsync(id);
        rig.Time.SetUtcNow(new DateTimeOffset(Utc(4, 2, 12)));
        var claimedLater = await rig.LessonsAsync(s => s.ClaimDueAsync(rig.Now, rig.Now.AddMinutes(-10), 100, CancellationToken.None));

        Assert.Empty(claimedWhilePaused);
        Assert.Equal(EnrollmentStatus.Paused, paused.Status);
        Assert.Equal(RecordRig.Start.UtcDateTime.AddDays(30), paused.PausedUntil);
        Assert.All(paused.Lessons.Skip(1), l => Assert.Equal(LessonState.Held, l.State));
        Assert.Equal(EnrollmentStatus.Active, resumed.Status);
        Assert.Null(resumed.PausedUntil);
        // From the next 08:00 Berlin time on, one a day; 08:00 is 06:00 UTC from 29 March.
        Assert.Equal([Utc(3, 25, 7), Utc(3, 26, 7), Utc(3, 27, 7), Utc(3, 28, 7), Utc(3, 29, 6), Utc(3, 30, 6)], resumed.Lessons.Skip(1).Select(l => l.DueAt));
        Assert.All(resumed.Lessons.Skip(1), l => Assert.Equal(LessonState.Scheduled, l.State));
        // All six are due by now, but only lesson 2 goes: each waits for the one before it.
        Assert.Equal([resumed.Lessons[1].Id], claimedLater);
        Assert.Equal(["enrollment.confirmed", "lesson.sent:1", "enrollment.paused", "enrollment.resumed"], await rig.EventsAsync(id));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_lesson_claimed_when_the_pause_came_is_held_not_lost_and_goes_once_after_the_resume(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var id = await ConfirmedWithLessonOneSentAsync(rig);
        rig.Time.SetUtcNow(new DateTimeOffset(Utc(3, 21, 7, 1)));
        var claimed = await rig.LessonsAsync(s => s.ClaimDueAsync(rig.Now, rig.Now.AddMinutes(-10), 100, CancellationToken.None));

        await rig.RecordAsync(r => r.PauseAsync(id, 2, CancellationToken.None));
        // The batch job holding the claim gets to its last look only now.
        var takenWhilePaused = await TakeAsync(rig, claimed);
        var held = await rig.EnrollmentAsync(id);
        rig.Time.SetUtcNow(new DateTimeOffset(Utc(3, 23, 7, 30)));
        var resumedByTime = await rig.RecordAsync(r => r.ResumeEndedPausesAsync(CancellationToken.None));
        rig.Time.SetUtcNow(new DateTimeOffset(Utc(3, 24, 7, 1)));
        var reclaimed = await rig.LessonsAsync(s => s.ClaimDueAsync(rig.Now, rig.Now.AddMinutes(-10), 100, CancellationToken.None));
        var taken = await TakeAsync(rig, reclaimed);
        await rig.LessonsAsync(s => s.RecordThenTakeAsync(new SentChunk([.. taken], []), [], rig.Now, CancellationToken.None));

        Assert.Single(claimed);
        Assert.Empty(takenWhilePaused);
        Assert.Equal(LessonState.Held, held.Lessons[1].State);
        Assert.Equal(1, resumedByTime);
        Assert.Equal(claimed, reclaimed);
        var after = await rig.EnrollmentAsync(id);
        Assert.Equal(LessonState.Sent, after.Lessons[1].State);
        Assert.Equal(1, after.Lessons[1].Attempts);
        Assert.Equal(["enrollment.confirmed", "lesson.sent:1", "enrollment.paused", "enrollment.resumed", "lesson.sent:2"], await rig.EventsAsync(id));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Resuming_the_same_day_a_lesson_went_out_never_brings_a_second_one_that_day(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var id = await ConfirmedWithLessonOneSentAsync(rig);
        await rig.RecordAsync(r => r.PauseAsync(id, 3, CancellationToken.None));
        // 11:30 in Berlin, and the reader now wants 20:00: lesson 1 went out this morning, so lesson 2 waits for tomorrow.
        await rig.RecordAsync(r => r.ChangeSendTimeAsync(id, new LocalTime(20, 0), null, CancellationToken.None));
        rig.Time.SetUtcNow(new DateTimeOffset(Utc(3, 20, 10, 30)));

        await rig.RecordAsync(r => r.ResumeAsync(id, CancellationToken.None));

        Assert.Equal(Utc(3, 21, 19), (await rig.EnrollmentAsync(id)).Lessons[1].DueAt);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Skipping_tomorrow_while_paused_makes_the_pause_a_day_longer(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var id = await ConfirmedWithLessonOneSentAsync(rig);
        await rig.RecordAsync(r => r.PauseAsync(id, 2, CancellationToken.None));

        Assert.Equal(Change.Done, await rig.RecordAsync(r => r.SkipNextDayAsync(id, CancellationToken.None)));

        Assert.Equal(RecordRig.Start.UtcDateTime.AddDays(3), (await rig.EnrollmentAsync(id)).PausedUntil);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Skipping_tomorrow_moves_every_waiting_lesson_a_day_at_the_same_local_time(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var id = await ConfirmedWithLessonOneSentAsync(rig);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Change.Done, await rig.RecordAsync(r => r.SkipNextDayAsync(id, CancellationToken.None)));
        }

        var enrollment = await rig.EnrollmentAsync(id);
        // 24-29 March at 08:00 Berlin time: 07:00 UTC, then 06:00 UTC once summer time starts on the 29th.
        Assert.Equal([Utc(3, 24, 7), Utc(3, 25, 7), Utc(3, 26, 7), Utc(3, 27, 7), Utc(3, 28, 7), Utc(3, 29, 6)], enrollment.Lessons.Skip(1).Select(l => l.DueAt));
        Assert.Equal(LessonState.Sent, enrollment.Lessons[0].State);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_new_send_time_and_zone_move_the_next_lesson_at_once_and_keep_one_a_day(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var id = await ConfirmedWithLessonOneSentAsync(rig);

        // 21:00 in Tokyo (UTC+9, no summer time): lesson 2 was due on the 21st, and 21:00 that day is still to come.
        await rig.RecordAsync(r => r.ChangeSendTimeAsync(id, new LocalTime(21, 0), DateTimeZoneProviders.Tzdb["Asia/Tokyo"], CancellationToken.None));
        var tokyo = await rig.EnrollmentAsync(id);
        // Back to Berlin at 06:00, decided on the 27th: the lessons still waiting go from the next 06:00 on.
        rig.Time.SetUtcNow(new DateTimeOffset(Utc(3, 27, 12)));
        await rig.RecordAsync(r => r.ChangeSendTimeAsync(id, new LocalTime(6, 0), DateTimeZoneProviders.Tzdb["Europe/Berlin"], CancellationToken.None));
        var berlin = await rig.EnrollmentAsync(id);

        Assert.Equal(("Asia/Tokyo", "21:00"), (tokyo.TimeZone, tokyo.SendAt));
        Assert.Equal([.. Enumerable.Range(21, 6).Select(d => Utc(3, d, 12))], tokyo.Lessons.Skip(1).Select(l => l.DueAt));
        Assert.Equal(("Europe/Berlin", "06:00"), (berlin.TimeZone, berlin.SendAt));
        Assert.Equal([Utc(3, 28, 5), Utc(3, 29, 4), Utc(3, 30, 4), Utc(3, 31, 4), Utc(4, 1, 4), Utc(4, 2, 4)], berlin.Lessons.Skip(1).Select(l => l.DueAt));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Unsubscribing_a_paused_reader_stops_every_lesson_left_and_a_repeat_changes_nothing(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var id = await ConfirmedWithLessonOneSentAsync(rig);
        await rig.RecordAsync(r => r.PauseAsync(id, 5, CancellationToken.None));

        var first = await rig.RecordAsync(r => r.UnsubscribeAsync(id, CancellationToken.None));
        var again = await rig.RecordAsync(r => r.UnsubscribeAsync(id, CancellationToken.None));
        var resume = await rig.RecordAsync(r => r.ResumeAsync(id, CancellationToken.None));

        Assert.Equal((Change.Done, Change.Already, Change.NotAllowed), (first, again, resume));
        var enrollment = await rig.EnrollmentAsync(id);
        Assert.Equal(EnrollmentStatus.Unsubscribed, enrollment.Status);
        Assert.All(enrollment.Lessons.Skip(1), l => Assert.Equal(LessonState.Skipped, l.State));
        Assert.Equal(["enrollment.confirmed", "lesson.sent:1", "enrollment.paused", "enrollment.unsubscribed"], await rig.EventsAsync(id));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Erasing_leaves_only_the_suppression_hash_and_the_erased_event(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var id = await ConfirmedWithLessonOneSentAsync(rig);
        var older = (await rig.SeedAsync(new EnrollmentBuilder().For("ann@example.org").WithStatus(EnrollmentStatus.Unsubscribed))).Id;

        var erased = await rig.RecordAsync(r => r.EraseEnrollmentAsync(id, CancellationToken.None));

        Assert.Equal(2, erased);
        await using var db = rig.Db();
        Assert.False(await db.Enrollments.AnyAsync(e => e.EmailKey == "ann@example.org"));
        Assert.False(await db.Lessons.AnyAsync());
        var suppression = Assert.Single(await db.Suppressions.ToListAsync());
        Assert.Equal(new global::Bootcamp.Security.AddressHasher(rig.Secrets).Hash("ann@example.org"), suppression.AddressHash);
        Assert.DoesNotContain("ann", string.Join(",", await db.Outbox.Select(e => e.Type).ToListAsync()));
        Assert.Equal("enrollment.erased", (await rig.EventsAsync(id)).Last());
        Assert.Equal(["enrollment.erased"], await rig.EventsAsync(older));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_last_lesson_sent_finishes_the_course_with_both_events_in_the_same_step(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var enrollment = await rig.SeedAsync(new EnrollmentBuilder().Claimed(7));
        var lesson7 = enrollment.Lessons.Single(l => l.Day == 7).Id;

        var taken = await TakeAsync(rig, [lesson7]);
        await rig.LessonsAsync(s => s.RecordThenTakeAsync(new SentChunk([.. taken], [(enrollment.Id, rig.Now.AddDays(1))]), [], rig.Now, CancellationToken.None));

        var after = await rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Finished, after.Status);
        Assert.Equal(LessonState.Scheduled, after.FinishedNoteState);
        Assert.Equal(["lesson.sent:7", "enrollment.finished"], await rig.EventsAsync(enrollment.Id));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Seven_steps_done_complete_the_course_and_a_second_press_changes_nothing(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var enrollment = await rig.SeedAsync(new EnrollmentBuilder().Finished(TimeSpan.FromDays(1)));

        foreach (var lesson in enrollment.Lessons.OrderBy(l => l.Day))
        {
            Assert.Equal(Change.Done, await rig.RecordAsync(r => r.RecordStepDoneAsync(lesson.Id, CancellationToken.None)));
        }
        var again = await rig.RecordAsync(r => r.RecordStepDoneAsync(enrollment.Lessons[0].Id, CancellationToken.None));

        Assert.Equal(Change.Already, again);
        Assert.NotNull((await rig.EnrollmentAsync(enrollment.Id)).CompletedAt);
        Assert.Equal([.. Enumerable.Range(1, 7).Select(d => $"lesson.completed:{d}"), "enrollment.completed"], await rig.EventsAsync(enrollment.Id));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Tracking_off_forgets_opens_and_clicks_but_keeps_the_readers_own_steps(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var enrollment = await rig.SeedAsync(new EnrollmentBuilder().Finished(TimeSpan.FromDays(1)));
        var lesson = enrollment.Lessons.Single(l => l.Day == 1).Id;
        await using (var db = rig.Db())
        {
            await db.Lessons.Where(l => l.Id == lesson).ExecuteUpdateAsync(s => s.SetProperty(l => l.OpenedAt, rig.Now).SetProperty(l => l.ClickedAt, rig.Now).SetProperty(l => l.MachineOpenedAt, rig.Now));
            db.Events.Add(new TrackingEvent { LessonId = lesson, Kind = "click:0", At = rig.Now });
            await db.SaveChangesAsync();
        }
        await rig.RecordAsync(r => r.RecordStepDoneAsync(lesson, CancellationToken.None));

        var change = await rig.RecordAsync(r => r.SetTrackingAsync(enrollment.Id, tracking: false, CancellationToken.None));

        Assert.Equal(Change.Done, change);
        var after = await rig.EnrollmentAsync(enrollment.Id);
        Assert.True(after.NoTracking);
        Assert.Equal((null, null, null), (after.Lessons[0].OpenedAt, after.Lessons[0].ClickedAt, after.Lessons[0].MachineOpenedAt));
        Assert.NotNull(after.Lessons[0].CompletedAt);
        await using var check = rig.Db();
        Assert.Equal([CourseRecord.StepDone], await check.Events.Where(e => e.LessonId == lesson).Select(e => e.Kind).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_course_not_yet_confirmed_cannot_be_paused_skipped_or_moved(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var id = await rig.SeedPendingAsync("ann@example.org");

        var pause = await rig.RecordAsync(r => r.PauseAsync(id, 3, CancellationToken.None));
        var skip = await rig.RecordAsync(r => r.SkipNextDayAsync(id, CancellationToken.None));
        var move = await rig.RecordAsync(r => r.ChangeSendTimeAsync(id, new LocalTime(6, 0), null, CancellationToken.None));
        var missing = await rig.RecordAsync(r => r.PauseAsync(id + 1000, 3, CancellationToken.None));

        Assert.Equal((Change.NotAllowed, Change.NotAllowed, Change.NotAllowed, Change.NotFound), (pause, skip, move, missing));
        Assert.Equal(EnrollmentStatus.Pending, (await rig.EnrollmentAsync(id)).Status);
        Assert.Empty(await rig.EventsAsync(id));
    }

    /// <summary>Confirmed at the rig's start (20 March, 09:30 UTC), lesson 1 taken and recorded sent as a sender would.</summary>
    private static async Task<long> ConfirmedWithLessonOneSentAsync(RecordRig rig)
    {
        var id = await rig.SeedPendingAsync("ann@example.org");
        var confirmation = await rig.RecordAsync(r => r.ConfirmAsync(id, CancellationToken.None));
        var taken = await TakeAsync(rig, [confirmation.FirstLessonId!.Value]);
        await rig.LessonsAsync(s => s.RecordThenTakeAsync(new SentChunk([.. taken], []), [], rig.Now, CancellationToken.None));
        return id;
    }

    /// <summary>The batch job's last look before SMTP: takes what is still claimed by a course still active.</summary>
    private static Task<HashSet<long>> TakeAsync(RecordRig rig, IEnumerable<long> lessonIds) =>
        rig.LessonsAsync(s => s.RecordThenTakeAsync(new SentChunk([], []), [.. lessonIds.Select(id => new LessonTake(id, null, $"<{id}@test>"))], rig.Now, CancellationToken.None));
}
