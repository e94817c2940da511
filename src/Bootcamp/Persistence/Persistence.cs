using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bootcamp.Persistence;

public static class Persistence
{
    /// <summary>Provider settings shared by the host and the design-time factories.</summary>
    public static T Configure<T>(T options, StorageProvider provider, string connectionString)
        where T : DbContextOptionsBuilder
    {
        if (provider == StorageProvider.Postgres)
        {
            options.UseNpgsql(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"));
        }
        else
        {
            options.UseSqlite(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"));
            options.AddInterceptors(SqlitePragmas.Instance);
        }
        options.UseSnakeCaseNamingConvention();
        return options;
    }
}
