using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Housekeeping;
using Bootcamp.Persistence;
using Bootcamp.UnitTests.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace Bootcamp.UnitTests.Housekeeping;

public sealed class HousekeepingJobTests : IAsyncLifetime
{
    private DeliveryRig _rig = null!;

    public async Task InitializeAsync() => _rig = await DeliveryRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task A_course_whose_seventh_lesson_was_recorded_but_whose_ending_was_not_is_finished_with_its_note_planned()
    {
        var stranded = await SeedStrandedAsync(new EnrollmentBuilder().InZone("Europe/Paris").Finished(TimeSpan.Zero));
        var ongoing = await _rig.SeedAsync(new EnrollmentBuilder().For("bob@example.org").Claimed(day: 3));

        await RunHousekeepingAsync();

        var after = await _rig.EnrollmentAsync(stranded.Id);
        Assert.Equal((EnrollmentStatus.Finished, _rig.Now, LessonState.Scheduled), (after.Status, after.FinishedAt, after.FinishedNoteState));
        Assert.Equal(_rig.Campaign.FinishedNoteDue("Europe/Paris", after.Lessons[^1].SentAt!.Value), after.FinishedNoteDueAt);
        Assert.True(after.FinishedNoteDueAt > after.Lessons[^1].SentAt);
        Assert.Equal(EnrollmentStatus.Active, (await _rig.EnrollmentAsync(ongoing.Id)).Status);
    }

    [Fact]
    public async Task A_stranded_course_that_lost_a_lesson_is_finished_without_a_note()
    {
        var builder = new EnrollmentBuilder().Finished(TimeSpan.Zero).Failed(day: 4);
        var stranded = await SeedStrandedAsync(builder);

        await RunHousekeepingAsync();

        var after = await _rig.EnrollmentAsync(stranded.Id);
        Assert.Equal((EnrollmentStatus.Finished, (LessonState?)null, (DateTime?)null), (after.Status, after.FinishedNoteState, after.FinishedNoteDueAt));
    }

    // The record a crash leaves between "lesson 7 sent" and "course finished": every lesson final, the enrollment still active.
    private async Task<EnrollmentRecord> SeedStrandedAsync(EnrollmentBuilder builder)
    {
        var enrollment = await _rig.SeedAsync(builder);
        await using var db = _rig.Db();
        await db.Enrollments.Where(e => e.Id == enrollment.Id).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Status, EnrollmentStatus.Active)
            .SetProperty(e => e.FinishedAt, (DateTime?)null)
            .SetProperty(e => e.FinishedNoteDueAt, (DateTime?)null)
            .SetProperty(e => e.FinishedNoteState, (LessonState?)null));
        return enrollment;
    }

    private async Task RunHousekeepingAsync()
    {
        await using var db = _rig.Db();
        var job = new HousekeepingJob(db, _rig.Record(db), new Bootcamp.Enrollment.SignupBudget(db, _rig.Hasher(), Options.Create(new Bootcamp.Security.RateLimitOptions())), new LessonStore(db, TestOwner.Instance), new Bootcamp.Webhooks.WebhookStore(db, TestOwner.Instance), Options.Create(new Bootcamp.Webhooks.WebhookOptions()), Substitute.For<Hangfire.IBackgroundJobClient>(), Options.Create(_rig.Campaign), _rig.Time,
            new Bootcamp.Persistence.DatabaseOutage(_rig.Time, NullLogger<Bootcamp.Persistence.DatabaseOutage>.Instance), NullLogger<HousekeepingJob>.Instance);
        await job.RunAsync(CancellationToken.None);
    }
}
