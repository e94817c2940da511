using Bootcamp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Bootcamp.IntegrationTests.Faults;

/// <summary>
/// PostgreSQL crashes (`pg_ctl stop -m immediate`) in the middle of a burst and is started again 15 s later, on a
/// cluster of the class's own.
/// </summary>
[Collection(ChaosRig.Collection)]
public sealed class DatabaseCrashDuringBurstTests(PrivatePostgresCluster own, ITestOutputHelper output) : IClassFixture<PrivatePostgresCluster>
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);
    private readonly PostgresCluster _cluster = own.Cluster;

    [Fact]
    public async Task After_a_15_s_database_crash_mid_burst_every_reader_gets_each_lesson_once_in_order_within_a_minute()
    {
        await using var rig = await ChaosRig.StartAsync(await PostgresServer.CreateDatabaseAsync(_cluster.AdminConnectionString, "chaos_db"), output);
        await rig.StartHostAsync();
        await rig.SeedAsync();

        await rig.WaitForLessonsAsync(ChaosRig.Lessons / 3);
        var crashed = DateTimeOffset.UtcNow;
        await Task.Run(_cluster.Stop);
        // The outage's length is the scenario, not a wait for something to happen.
        await Task.Delay(Outage - (DateTimeOffset.UtcNow - crashed));
        await Task.Run(_cluster.Restart);
        rig.FaultEnded("database down", crashed);

        await rig.AssertEveryLessonOnceInOrderAndOnTimeAsync();
    }
}
