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
    public async Task An_owner_that_never_wrote_a_heartbeat_or_removed_it_on_stopping_is_gone_at_once(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var stopped = new ClaimOwner();
        var lesson = (await rig.SeedAsync(new EnrollmentBuilder().Claimed(3))).Lessons.Single(l => l.Day == 3).Id;
        await using (var db = rig.Db())
        {
            await db.Lessons.Where(l => l.Id == lesson).ExecuteUpdateAsync(s => s.SetProperty(l => l.ClaimedBy, stopped.Id));
        }

        await using var claim = rig.Db();
        var taken = await new LessonStore(claim, TestOwner.Instance).ClaimDueAsync(rig.Now, rig.Now.AddMinutes(-10), 100, CancellationToken.None);

        Assert.Equal([lesson], taken);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_lesson_this_process_took_but_no_sender_of_its_own_holds_is_taken_over_and_a_held_one_is_not(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var me = new ClaimOwner();
        var orphan = (await rig.SeedAsync(new EnrollmentBuilder().For("ann@example.org").Claimed(2))).Lessons.Single(l => l.Day == 2).Id;
        var held = (await rig.SeedAsync(new EnrollmentBuilder().For("bob@example.org").Claimed(2))).Lessons.Single(l => l.Day == 2).Id;
        var justTaken = (await rig.SeedAsync(new EnrollmentBuilder().For("cy@example.org").Claimed(2))).Lessons.Single(l => l.Day == 2).Id;
        await using (var db = rig.Db())
        {
            db.Workers.Add(new WorkerRecord { Id = me.Id, StartedAt = rig.Now.AddMinutes(-5), HeartbeatAt = rig.Now.AddSeconds(-1) });
            await db.SaveChangesAsync();
            var taken = rig.Now - ClaimOwner.HeartbeatInterval - TimeSpan.FromSeconds(1);
            await db.Lessons.Where(l => l.Id == orphan || l.Id == held).ExecuteUpdateAsync(s => s
                .SetProperty(l => l.ClaimedBy, me.Id).SetProperty(l => l.State, LessonState.Sending).SetProperty(l => l.ClaimedAt, taken));
            // Taken a moment ago: its sender may not have said so yet.
            await db.Lessons.Where(l => l.Id == justTaken).ExecuteUpdateAsync(s => s
                .SetProperty(l => l.ClaimedBy, me.Id).SetProperty(l => l.State, LessonState.Sending).SetProperty(l => l.ClaimedAt, rig.Now));
        }
        me.Sending([held]);

        await using var claim = rig.Db();
        var reclaimed = await new LessonStore(claim, me).ClaimDueAsync(rig.Now, rig.Now.AddMinutes(-10), 100, CancellationToken.None);

        Assert.Equal([orphan], reclaimed);
    }
}
