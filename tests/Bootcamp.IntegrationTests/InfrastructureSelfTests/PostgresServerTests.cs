using Bootcamp.IntegrationTests.Infrastructure;
using Npgsql;

namespace Bootcamp.IntegrationTests.InfrastructureSelfTests;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task Two_created_databases_are_distinct_and_each_answers_a_query()
    {
        var first = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("Self-Test"));
        var second = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync());

        Assert.NotEqual(first.Database, second.Database);
        Assert.StartsWith("self_test_", first.Database);
        foreach (var database in new[] { first, second })
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("select 1, current_database()", connection);
            await using var reader = await query.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(1, reader.GetInt32(0));
            Assert.Equal(database.Database, reader.GetString(1));
        }
    }

    [Fact]
    public async Task Databases_are_created_in_parallel_on_one_server()
    {
        var connectionStrings = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(_ => PostgresServer.CreateDatabaseAsync("parallel")));

        var servers = connectionStrings.Select(c => new NpgsqlConnectionStringBuilder(c))
            .Select(c => (c.Host, c.Port)).Distinct();
        Assert.Single(servers);
        Assert.Equal(8, connectionStrings.Distinct().Count());
    }

    [Fact]
    public async Task The_test_cluster_trades_durability_for_speed_and_a_durable_cluster_keeps_it()
    {
        using var durable = await Task.Run(() => PostgresCluster.Start(ClusterSettings.Durable));

        Assert.Equal(["on", "on", "on"], await DurabilitySettingsAsync(durable.AdminConnectionString));
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable)))
        {
            Assert.Equal(["off", "off", "off"], await DurabilitySettingsAsync(await PostgresServer.GetAdminConnectionStringAsync()));
        }
    }

    private static async Task<string[]> DurabilitySettingsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var values = new List<string>();
        foreach (var setting in (string[])["fsync", "synchronous_commit", "full_page_writes"])
        {
            await using var show = new NpgsqlCommand($"SHOW {setting}", connection);
            values.Add((string)(await show.ExecuteScalarAsync())!);
        }
        return [.. values];
    }
}
