using Bootcamp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Bootcamp.IntegrationTests.Faults;

/// <summary>The only process is killed with SIGKILL three times while a burst goes out, and started again each time.</summary>
[Collection(ChaosRig.Collection)]
public sealed class KilledDuringBurstTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killed_three_times_mid_burst_every_reader_still_gets_each_lesson_once_in_order_within_a_minute_of_the_restart()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"random seed {seed}");
        var random = new Random(seed);
        await using var rig = await ChaosRig.StartAsync(await PostgresServer.CreateDatabaseAsync("chaos_kill"), output);
        var host = await rig.StartHostAsync();
        await rig.SeedAsync();

        // A random point in each third of the burst, counted in lessons received.
        var third = ChaosRig.Lessons / 3;
        foreach (var point in Enumerable.Range(0, 3).Select(i => i * third + random.Next(third / 8, third * 7 / 8)))
        {
            await rig.WaitForLessonsAsync(point);
            var killed = DateTimeOffset.UtcNow;
            await rig.KillAsync(host);
            host = await rig.StartHostAsync();
            rig.FaultEnded($"killed after {point} lessons, restarted", killed);
        }

        await rig.AssertEveryLessonOnceInOrderAndOnTimeAsync();
    }
}
