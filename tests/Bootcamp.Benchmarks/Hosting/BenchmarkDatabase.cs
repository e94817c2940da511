using Bootcamp.IntegrationTests.Infrastructure;
using Npgsql;

namespace Bootcamp.Benchmarks.Hosting;

/// <summary>
/// A fresh database on the run's PostgreSQL (throwaway cluster or BOOTCAMP_TEST_POSTGRES), dropped at
/// the end so that runs against a long-lived server leave nothing behind.
/// </summary>
internal sealed class BenchmarkDatabase : IAsyncDisposable
{
    private BenchmarkDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public static async Task<BenchmarkDatabase> CreateAsync(string benchmark)
    {
        Progress.Say(string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable))
            ? "PostgreSQL: starting a throwaway cluster"
            : $"PostgreSQL: using {PostgresServer.EnvironmentVariable}");
        var database = new BenchmarkDatabase(await PostgresServer.CreateDatabaseAsync("bench_" + benchmark));
        Progress.Say($"PostgreSQL: database {new NpgsqlConnectionStringBuilder(database.ConnectionString).Database} on port {new NpgsqlConnectionStringBuilder(database.ConnectionString).Port}");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        try
        {
            await using var connection = new NpgsqlConnection(await PostgresServer.GetAdminConnectionStringAsync());
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException e)
        {
            // A throwaway cluster goes with the process anyway; a shared server keeps one stray database.
            Progress.Say($"could not drop database {name}: {e.Message}");
        }
    }
}
