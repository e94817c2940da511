using Npgsql;

namespace Bootcamp.IntegrationTests.Infrastructure;

// The PostgreSQL server of this test run: the one named by BOOTCAMP_TEST_POSTGRES, or else a throwaway
// cluster started from the installed binaries on first use and stopped at process exit.
internal static class PostgresServer
{
    public const string EnvironmentVariable = "BOOTCAMP_TEST_POSTGRES";

    // A failed start stays failed: every test then reports the same initdb/pg_ctl output.
    private static readonly Lazy<Task<string>> AdminConnectionString =
        new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<string> GetAdminConnectionStringAsync() => AdminConnectionString.Value;

    // Creates an empty, uniquely named database and returns its connection string.
    public static async Task<string> CreateDatabaseAsync(string? namePrefix = null) =>
        await CreateDatabaseAsync(await GetAdminConnectionStringAsync(), namePrefix);

    // The same on another server: a cluster of a test's own, which it may stop.
    public static async Task<string> CreateDatabaseAsync(string admin, string? namePrefix)
    {
        var name = UniqueDatabaseName(namePrefix);

        // Unpooled: a test may have restarted this server since the last database was made, leaving pooled connections dead.
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin)
        {
            Database = name,
            Pooling = true,
            MaxPoolSize = 50,
            IncludeErrorDetail = true,
        }.ConnectionString;
    }

    private static async Task<string> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            var builder = new NpgsqlConnectionStringBuilder(external);
            builder.Database = string.IsNullOrEmpty(builder.Database) ? "postgres" : builder.Database;
            return builder.ConnectionString;
        }

        var cluster = await Task.Run(PostgresCluster.Start);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster.AdminConnectionString;
    }

    // Lower-case letters, digits and underscores only, so the name never needs quoting elsewhere;
    // PostgreSQL truncates identifiers at 63 bytes, the GUID must survive that.
    private static string UniqueDatabaseName(string? namePrefix)
    {
        var prefix = new string((namePrefix ?? "test").ToLowerInvariant()
            .Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_')
            .Take(30)
            .ToArray());
        return $"{prefix}_{Guid.NewGuid():N}";
    }
}
