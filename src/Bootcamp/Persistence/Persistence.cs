using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bootcamp.Persistence;

public static class Persistence
{
    /// <summary>Provider settings shared by the host and the design-time factories.</summary>
    public static DbContextOptionsBuilder<T> Configure<T>(DbContextOptionsBuilder<T> options, StorageProvider provider, string connectionString)
        where T : DbContext
    {
        if (provider == StorageProvider.Postgres)
        {
            options.UseNpgsql(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"));
        }
        else
        {
            options.UseSqlite(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"));
        }
        options.UseSnakeCaseNamingConvention();
        // The model differs per provider only in column types; migrations are generated per provider.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        return options;
    }
}
