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
}
