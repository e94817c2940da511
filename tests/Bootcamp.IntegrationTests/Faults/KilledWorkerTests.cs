using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Bootcamp.IntegrationTests.Faults;

/// <summary>Two worker processes share a burst; one is killed with SIGKILL and not started again.</summary>
[Collection(ChaosRig.Collection)]
public sealed class KilledWorkerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task When_one_of_two_workers_is_killed_the_other_finishes_the_burst_once_in_order_within_a_minute()
    {
        await using var rig = await ChaosRig.StartAsync(await PostgresServer.CreateDatabaseAsync("chaos_worker"), output);
        var workers = await Task.WhenAll(rig.StartHostAsync(), rig.StartHostAsync());
        await rig.SeedAsync();

        await rig.WaitForLessonsAsync(ChaosRig.Lessons / 3);
        // Both share the burst before one dies (a busy machine can start one late): neither idles.
        await Eventually.ReturnsAsync(rig.SendersAsync, senders => senders == 2, TimeSpan.FromSeconds(60), "lessons sent by both workers");
        var killed = DateTimeOffset.UtcNow;
        await rig.KillAsync(workers[0]);
        // The service never went away: the survivor was serving all along.
        rig.FaultEnded("one worker killed", killed);

        await rig.AssertEveryLessonOnceInOrderAndOnTimeAsync();
    }
}
