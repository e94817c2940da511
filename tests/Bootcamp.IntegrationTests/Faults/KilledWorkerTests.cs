using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Bootcamp.IntegrationTests.Faults;

/// <summary>Two worker processes serve a burst; one that is sending is killed with SIGKILL and not started again.</summary>
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
        // The one killed is one that is sending: one dispatcher may claim a whole course day, and a worker with
        // nothing in hand would test nothing by dying.
        var attribution = new SenderAttribution(rig.Sink.Port, [.. workers.Select(w => w.Pid)]);
        var sending = await Eventually.ReturnsAsync(() =>
        {
            attribution.Sample();
            return Task.FromResult(attribution.Connected);
        }, connected => connected.Count > 0, TimeSpan.FromSeconds(60), "a worker connected to the mail server");
        var victim = workers.First(w => sending.Contains(w.Pid));
        var killed = DateTimeOffset.UtcNow;
        await rig.KillAsync(victim);
        // The service never went away: the survivor was serving all along.
        rig.FaultEnded("one worker killed", killed);

        await rig.AssertEveryLessonOnceInOrderAndOnTimeAsync();
    }
}
