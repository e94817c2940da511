using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.UnitTests.Persistence;

/// <summary>The pragmas are set once per physical connection, and hold for every query on it and on every new one.</summary>
public sealed class SqlitePragmasTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"pragmas-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task Every_query_on_pooled_and_new_connections_runs_with_normal_sync_and_a_busy_timeout()
    {
        var options = global::Bootcamp.Persistence.Persistence.Configure(new DbContextOptionsBuilder<SqliteBootcampDb>(), StorageProvider.Sqlite, $"Data Source={_file}");

        for (var round = 0; round < 3; round++)
        {
            // Each context opens and closes its connection per query: the pool hands the same handle back.
            await using var db = new SqliteBootcampDb(options.Options);
            Assert.Equal(1, await Scalar(db, "PRAGMA synchronous"));
            Assert.Equal(30000, await Scalar(db, "PRAGMA busy_timeout"));
            if (round == 1)
            {
                // A fresh physical connection gets them too.
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }
        }
    }

    // Opened through EF, as every query is, so that its connection interceptor runs.
    private static async Task<long> Scalar(BootcampDb db, string pragma)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = pragma;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
