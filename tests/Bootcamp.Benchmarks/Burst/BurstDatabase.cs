using Bootcamp.Benchmarks.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Npgsql;

namespace Bootcamp.Benchmarks.Burst;

/// <summary>
/// PostgreSQL as production runs it: a cluster of the burst's own with fsync, synchronous_commit and
/// full_page_writes on (the other benchmarks' throwaway cluster turns them off), or the server
/// BOOTCAMP_TEST_POSTGRES names, which must have them on.
/// </summary>
internal sealed class BurstDatabase : IAsyncDisposable
{
    private static readonly string[] DurableSettings = ["fsync", "synchronous_commit", "full_page_writes"];

    private readonly PostgresCluster? cluster;
    private readonly BenchmarkDatabase? shared;

    private BurstDatabase(string connectionString, PostgresCluster? cluster, BenchmarkDatabase? shared)
    {
        ConnectionString = connectionString;
        this.cluster = cluster;
        this.shared = shared;
    }

    public string ConnectionString { get; }

    public static async Task<BurstDatabase> CreateAsync()
    {
        BurstDatabase database;
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable)))
        {
            var shared = await BenchmarkDatabase.CreateAsync("burst");
            database = new BurstDatabase(shared.ConnectionString, null, shared);
        }
        else
        {
            Progress.Say("PostgreSQL: starting a cluster of its own with fsync, synchronous_commit and full_page_writes on");
            var cluster = await Task.Run(() => PostgresCluster.Start(ClusterSettings.Durable));
            database = new BurstDatabase(await PostgresServer.CreateDatabaseAsync(cluster.AdminConnectionString, "bench_burst"), cluster, null);
        }
        try
        {
            await database.CheckDurableAsync();
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    private async Task CheckDurableAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var values = new List<string>();
        foreach (var setting in DurableSettings)
        {
            await using var show = new NpgsqlCommand($"SHOW {setting}", connection);
            var value = (string)(await show.ExecuteScalarAsync())!;
            if (value != "on")
            {
                throw new BenchmarkException($"PostgreSQL has {setting}={value}; the burst is measured with fsync, synchronous_commit and full_page_writes on, as production runs. "
                    + $"Turn it on in the server {PostgresServer.EnvironmentVariable} names, or unset it for a cluster of the benchmark's own.");
            }
            values.Add($"{setting}={value}");
        }
        Progress.Say($"PostgreSQL: {string.Join(", ", values)} (database {connection.Database})");
    }

    public async ValueTask DisposeAsync()
    {
        if (shared is not null)
        {
            await shared.DisposeAsync();
        }
        cluster?.Dispose();
    }
}
