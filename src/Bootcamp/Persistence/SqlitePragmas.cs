using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bootcamp.Persistence;

/// <summary>
/// WAL with synchronous=NORMAL: a commit no longer waits for fsync (a power cut may lose the last
/// moments, never corrupt the file), which is what makes hundreds of sign-ups a second possible on SQLite.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        command.ExecuteNonQuery();
    }
}
