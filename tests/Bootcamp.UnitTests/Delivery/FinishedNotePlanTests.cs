using Bootcamp.Domain;
using Bootcamp.Persistence;
using NSubstitute;

namespace Bootcamp.UnitTests.Delivery;

/// <summary>When the "you finished" note is planned: only after all seven lessons arrived, and never once the reader left.</summary>
public sealed class FinishedNotePlanTests : IAsyncLifetime
{
    private DeliveryRig _rig = null!;

    public async Task InitializeAsync() => _rig = await DeliveryRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Lesson_seven_delivered_finishes_the_course_and_plans_the_note_for_eight_the_next_morning_in_paris()
    {
        // The rig's clock starts at 06:00 UTC on 10 June 2026: 08:00 in Paris (CEST).
        var after = await AfterLessonSevenAsync(new EnrollmentBuilder().Claimed(day: 7));

        Assert.Equal(EnrollmentStatus.Finished, after.Status);
        Assert.Equal(LessonState.Scheduled, after.FinishedNoteState);
        Assert.Equal(new DateTime(2026, 6, 11, 6, 0, 0, DateTimeKind.Utc), after.FinishedNoteDueAt);
    }

    [Fact]
    public async Task The_note_follows_the_readers_own_zone_not_the_servers()
    {
        // 06:00 UTC is already 15:00 in Tokyo: the note waits for 08:00 there on 11 June, 23:00 UTC on the 10th.
        var after = await AfterLessonSevenAsync(new EnrollmentBuilder().InZone("Asia/Tokyo").Claimed(day: 7));

        Assert.Equal(new DateTime(2026, 6, 10, 23, 0, 0, DateTimeKind.Utc), after.FinishedNoteDueAt);
    }

    [Fact]
    public async Task In_demo_spacing_the_note_is_due_one_day_length_after_lesson_seven()
    {
        _rig.Campaign.DayLength = TimeSpan.FromSeconds(3);
        var after = await AfterLessonSevenAsync(new EnrollmentBuilder().Claimed(day: 7));

        Assert.Equal(_rig.Now + TimeSpan.FromSeconds(3), after.FinishedNoteDueAt);
    }

    [Theory]
    [InlineData(552, "5.2.2 Mailbox full", EnrollmentStatus.Finished)]
    [InlineData(550, "5.1.1 User unknown", EnrollmentStatus.Bounced)]
    public async Task A_course_whose_last_lesson_was_refused_for_good_ends_without_a_note(int status, string reply, EnrollmentStatus ended)
    {
        _rig.Reject("ann@example.org", status, reply);
        var after = await AfterLessonSevenAsync(new EnrollmentBuilder().Claimed(day: 7));

        Assert.Equal(ended, after.Status);
        AssertNoNote(after);
    }

    [Fact]
    public async Task A_course_that_lost_an_earlier_lesson_ends_without_a_note_even_when_lesson_seven_arrives()
    {
        var after = await AfterLessonSevenAsync(new EnrollmentBuilder().Claimed(day: 7).Failed(day: 3));

        Assert.Equal((EnrollmentStatus.Finished, LessonState.Sent), (after.Status, after.Lessons[6].State));
        AssertNoNote(after);
    }

    [Fact]
    public async Task A_reader_who_unsubscribes_while_lesson_seven_is_on_its_way_gets_no_note()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 7));
        // The reader presses "unsubscribe" while lesson 7 is with the mail server.
        _rig.Session.When(s => s.SendAsync(Arg.Any<Bootcamp.Delivery.OutgoingMessage>(), Arg.Any<CancellationToken>()))
            .Do(_ => _rig.SetStatusAsync(enrollment.Id, EnrollmentStatus.Unsubscribed).GetAwaiter().GetResult());

        await _rig.RunBatchAsync(LessonId(enrollment, 7));

        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal((EnrollmentStatus.Unsubscribed, LessonState.Sent), (after.Status, after.Lessons[6].State));
        AssertNoNote(after);
    }

    [Fact]
    public async Task With_Campaign_FinishedNote_off_the_course_finishes_without_a_note()
    {
        _rig.Campaign.FinishedNote = false;
        var after = await AfterLessonSevenAsync(new EnrollmentBuilder().Claimed(day: 7));

        Assert.Equal(EnrollmentStatus.Finished, after.Status);
        AssertNoNote(after);
    }

    [Fact]
    public async Task Before_lesson_seven_no_note_is_planned()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 6));

        await _rig.RunBatchAsync(LessonId(enrollment, 6));

        AssertNoNote(await _rig.EnrollmentAsync(enrollment.Id));
    }

    /// <summary>Seeds the enrollment, runs the batch job on its claimed lesson 7, and reads the record back.</summary>
    private async Task<EnrollmentRecord> AfterLessonSevenAsync(EnrollmentBuilder builder)
    {
        var enrollment = await _rig.SeedAsync(builder);
        await _rig.RunBatchAsync(LessonId(enrollment, 7));
        return await _rig.EnrollmentAsync(enrollment.Id);
    }

    private static void AssertNoNote(EnrollmentRecord enrollment) =>
        Assert.Equal((null, null), (enrollment.FinishedNoteState, enrollment.FinishedNoteDueAt));

    private static long LessonId(EnrollmentRecord enrollment, int day) => enrollment.Lessons.Single(l => l.Day == day).Id;
}
