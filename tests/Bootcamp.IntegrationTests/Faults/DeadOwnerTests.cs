using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Faults;

/// <summary>
/// A process that died holding a reader's lesson: the running one takes it over within seconds of the dead
/// one's heartbeat stopping, not after the ten-minute claim lease, and sends it once, under its Message-ID.
/// </summary>
public sealed class DeadOwnerTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_lesson_held_by_a_dead_process_goes_out_long_before_the_lease_would_free_it(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port,
            "--Delivery:ClaimLease=00:10:00", "--Campaign:DayLength=01:00:00");
        var reader = new Subscriber(host, sink, $"orphan-{provider}@example.org");
        await reader.JoinAsync();
        await reader.WaitForLessonsAsync(1);
        var living = await host.QueryAsync(db => db.Workers.Select(w => w.Id).ToListAsync());

        // What a process killed mid-send leaves: lesson 2 taken, its heartbeat 40 s old.
        const string dead = "0123456789abcdef0123456789abcdef";
        var now = DateTime.UtcNow;
        await host.QueryAsync(async db =>
        {
            db.Workers.Add(new Persistence.WorkerRecord { Id = dead, StartedAt = now.AddMinutes(-5), HeartbeatAt = now.AddSeconds(-40) });
            await db.SaveChangesAsync();
            return await db.Lessons.Where(l => l.Enrollment!.Email == reader.Email && l.Day == 2)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Sending).SetProperty(l => l.DueAt, now.AddMinutes(-1))
                    .SetProperty(l => l.ClaimedAt, now).SetProperty(l => l.ClaimedBy, dead));
        });
        var started = DateTime.UtcNow;
        var lessons = await reader.WaitForLessonsAsync(2, TimeSpan.FromSeconds(30));
        var waited = DateTime.UtcNow - started;

        Assert.Single(living);
        Assert.Equal([1, 2], lessons.Select(m => m.Day()));
        Assert.True(waited < TimeSpan.FromSeconds(30), $"took {waited}");
        // The mail server has the lesson a moment before the sender records it sent.
        var lesson2 = await Eventually.ReturnsAsync(() => host.QueryAsync(db => db.Lessons.SingleAsync(l => l.Enrollment!.Email == reader.Email && l.Day == 2)),
            l => l.State != LessonState.Sending, what: "lesson 2 to be recorded");
        Assert.Equal((LessonState.Sent, living[0]), (lesson2.State, lesson2.ClaimedBy));
    }
}
