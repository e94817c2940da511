using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.Persistence;
using Bootcamp.UnitTests.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.UnitTests.Courses;

/// <summary>
/// A process that dies while holding claims: its heartbeat stops, and another process takes its lessons over
/// within seconds, not after the claim lease. A living owner's claims are left alone.
/// </summary>
public sealed class ClaimTakeOverTests
{
    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Lessons_held_by_a_silent_owner_are_taken_over_and_a_living_owners_are_not(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var dead = new ClaimOwner();
        var alive = new ClaimOwner();
        var deadsLesson = (await rig.SeedAsync(new EnrollmentBuilder().For("ann@example.org").Claimed(2))).Lessons.Single(l => l.Day == 2).Id;
        var alivesLesson = (await rig.SeedAsync(new EnrollmentBuilder().For("bob@example.org").Claimed(2))).Lessons.Single(l => l.Day == 2).Id;
        await using (var db = rig.Db())
        {
            db.Workers.AddRange(
                new WorkerRecord { Id = dead.Id, StartedAt = rig.Now.AddMinutes(-5), HeartbeatAt = rig.Now - ClaimOwner.DeadAfter - TimeSpan.FromSeconds(1) },
                new WorkerRecord { Id = alive.Id, StartedAt = rig.Now.AddMinutes(-5), HeartbeatAt = rig.Now.AddSeconds(-2) });
            await db.SaveChangesAsync();
            await db.Lessons.Where(l => l.Id == deadsLesson).ExecuteUpdateAsync(s => s.SetProperty(l => l.ClaimedBy, dead.Id).SetProperty(l => l.State, LessonState.Sending));
            await db.Lessons.Where(l => l.Id == alivesLesson).ExecuteUpdateAsync(s => s.SetProperty(l => l.ClaimedBy, alive.Id));
        }

        // Both claims are fresh: only the lease would free them, and it is ten minutes away.
        long[] taken;
        await using (var db = rig.Db())
        {
            taken = await new LessonStore(db, TestOwner.Instance).ClaimDueAsync(rig.Now, rig.Now.AddMinutes(-10), 100, CancellationToken.None);
        }

        Assert.Equal([deadsLesson], taken);
        await using var check = rig.Db();
        var lesson = await check.Lessons.SingleAsync(l => l.Id == deadsLesson);
        Assert.Equal((LessonState.Claimed, TestOwner.Instance.Id), (lesson.State, lesson.ClaimedBy));
        Assert.Equal(alive.Id, (await check.Lessons.SingleAsync(l => l.Id == alivesLesson)).ClaimedBy);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_owner_that_stopped_is_gone_at_once_and_one_with_no_heartbeat_on_record_waits_for_the_lease(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var stopped = new ClaimOwner();
        var unrecorded = new ClaimOwner();
        var stoppedsLesson = (await rig.SeedAsync(new EnrollmentBuilder().For("ann@example.org").Claimed(3))).Lessons.Single(l => l.Day == 3).Id;
        var unrecordedsLesson = (await rig.SeedAsync(new EnrollmentBuilder().For("bob@example.org").Claimed(3))).Lessons.Single(l => l.Day == 3).Id;
        await using (var db = rig.Db())
        {
            // What a normal stop leaves: the heartbeat dated back past DeadAfter.
            db.Workers.Add(new WorkerRecord { Id = stopped.Id, StartedAt = rig.Now.AddMinutes(-5), HeartbeatAt = rig.Now - ClaimOwner.DeadAfter - TimeSpan.FromSeconds(1) });
            await db.SaveChangesAsync();
            await db.Lessons.Where(l => l.Id == stoppedsLesson).ExecuteUpdateAsync(s => s.SetProperty(l => l.ClaimedBy, stopped.Id));
            await db.Lessons.Where(l => l.Id == unrecordedsLesson).ExecuteUpdateAsync(s => s.SetProperty(l => l.ClaimedBy, unrecorded.Id).SetProperty(l => l.State, LessonState.Sending));
        }

        await using (var claim = rig.Db())
        {
            Assert.Equal([stoppedsLesson], await new LessonStore(claim, TestOwner.Instance).ClaimDueAsync(rig.Now, rig.Now.AddMinutes(-10), 100, CancellationToken.None));
        }

        // The lease: the claim was made at rig.Now; ten minutes on, a cutoff past it frees it.
        await using var later = rig.Db();
        Assert.Contains(unrecordedsLesson, await new LessonStore(later, TestOwner.Instance).ClaimDueAsync(rig.Now.AddMinutes(11), rig.Now.AddMinutes(1), 100, CancellationToken.None));
    }
}
