using System.Security.Cryptography;
using Bootcamp.Operations;
using Bootcamp.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bootcamp.Persistence;

public static class PersistenceModule
{
    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        var storage = StorageSettings.Read(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(storage);
        builder.Properties[typeof(StorageSettings)] = storage;
        builder.Services.AddSingleton<DatabaseOutage>();
        builder.Services.AddSingleton<DatabaseOutageInterceptor>();
        if (storage.Provider == StorageProvider.Postgres)
        {
            builder.Services.AddDbContextPool<BootcampDb, PostgresBootcampDb>((sp, o) => Configure(sp, o, storage));
        }
        else
        {
            builder.Services.AddDbContextPool<BootcampDb, SqliteBootcampDb>((sp, o) => Configure(sp, o, storage));
        }
        builder.Services.AddSingleton<AppSecrets>();
        builder.Services.AddHealthChecks().AddDbContextCheck<BootcampDb>("database", tags: ["ready"]);
        // Every check (the job storage's too, added later): an orchestrator's probe wants an answer, not a 15 s connect timeout.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(o =>
        {
            foreach (var check in o.Registrations)
            {
                check.Timeout = HealthCheckTimeout;
            }
        });
        return builder;
    }

    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(3);

    // EF Core's own Error line for a failed connection, query, command or save repeats what its caller does with
    // the exception (the exception handler, a job, the outage log), and during an outage it was a stack trace per tick.
    private static void Configure(IServiceProvider services, DbContextOptionsBuilder options, StorageSettings storage) =>
        Persistence.Configure(options, storage.Provider, storage.ConnectionString)
            .AddInterceptors(services.GetRequiredService<DatabaseOutageInterceptor>())
            .ConfigureWarnings(w => w.Log(
                (RelationalEventId.ConnectionError, LogLevel.Debug),
                (RelationalEventId.CommandError, LogLevel.Debug),
                (CoreEventId.QueryIterationFailed, LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, LogLevel.Debug)));

    public static StorageSettings Storage(this IHostApplicationBuilder builder) =>
        builder.Properties.TryGetValue(typeof(StorageSettings), out var value) ? (StorageSettings)value
            : throw new InvalidOperationException("AddPersistence must come first.");

    /// <summary>Brings the schema up to date and loads the shared secrets; runs before the host serves.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BootcampDb>();
        if (!db.IsPostgres)
        {
            await RefuseForeignSqliteFileAsync(db, cancellationToken);
            // WAL lets the pixel and the pages read while a batch writes; set once, it persists in the file.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
            // SQLite is one process's file (several processes need PostgreSQL): nothing else migrates it at once.
            await RefuseNewerSchemaAsync(db, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        else
        {
            await MigratePostgresOneProcessAtATimeAsync(db, cancellationToken);
        }
        var secrets = scope.ServiceProvider.GetRequiredService<AppSecrets>();
        var keys = KeyOptions.Read(scope.ServiceProvider.GetRequiredService<IConfiguration>());
        var atRest = scope.ServiceProvider.GetRequiredService<KeysAtRest>();
        secrets.AddressHashKeys = await LoadOrCreateSecretAsync(db, atRest, "address-hash", keys.AddressHashKeyId, cancellationToken);
        secrets.LinkTokenKeys = await LoadOrCreateSecretAsync(db, atRest, "link-token", keys.LinkTokenKeyId, cancellationToken);
    }

    /// <summary>
    /// A database that a newer build migrated is not this build's to run: its rows may mean what this code does not
    /// know (sealed keys, which older code would take for the keys themselves, and stop matching every suppression).
    /// Refused by name before anything is written; EF Core by itself would start and apply nothing.
    /// </summary>
    internal static async Task RefuseNewerSchemaAsync(BootcampDb db, CancellationToken cancellationToken)
    {
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database was migrated by a newer Bootcamp ({string.Join(", ", unknown)}), which this build does not know: "
                + "run that version or a later one, or restore a backup taken before it.");
        }
    }

    /// <summary>
    /// Several processes starting together on one database apply each migration once. EF Core's own migration
    /// lock on PostgreSQL is a table lock taken inside each migration's transaction, after the list of pending
    /// migrations was read: two processes on a fresh database both read "pending", the second waits on the
    /// lock, then applies the same migration again ("column already exists") and dies at start-up. A session
    /// advisory lock held around the whole run makes the second process read the history only after the first
    /// has finished; a process that dies mid-way loses its session, and with it the lock.
    /// </summary>
    private static async Task MigratePostgresOneProcessAtATimeAsync(BootcampDb db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({AdvisoryLocks.Migrations})", cancellationToken);
            try
            {
                // Npgsql's migrator reads its history table before creating it, and EF logs the "relation does not
                // exist" it then handles as an error (npgsql/efcore.pg#3407): the first start of every new
                // deployment printed a failed command. Created first, there is nothing to fail.
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
                await RefuseNewerSchemaAsync(db, cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                // Not the caller's token: a cancelled start must still let the next process in.
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({AdvisoryLocks.Migrations})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// A file with tables but no migration history was not made by any migrated build of Bootcamp (an early
    /// build made its schema directly, or the key names another program's file): migrating it would fail
    /// half-way on "table already exists". Say so in one line, and leave the file as it is.
    /// </summary>
    private static async Task RefuseForeignSqliteFileAsync(BootcampDb db, CancellationToken cancellationToken)
    {
        var tables = await db.Database.SqlQueryRaw<string>(
                "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .ToListAsync(cancellationToken);
        if (tables.Count > 0 && !tables.Contains("__ef_migrations_history"))
        {
            throw new ConfigurationException("ConnectionStrings:Sqlite",
                $"the database file has tables ({string.Join(", ", tables.Order(StringComparer.Ordinal).Take(3))}{(tables.Count > 3 ? ", …" : "")}) but no migration history, so this version of Bootcamp did not make it; move it aside (nothing in it was changed) or name another file");
        }
    }

    /// <summary>
    /// Every generation of the secret, after creating any missing up to <paramref name="newestId"/> (a rotation).
    /// With a certificate, new generations are stored sealed and plain ones (stored before it was set) are sealed
    /// in place.
    /// </summary>
    private static async Task<IReadOnlyList<SecretKey>> LoadOrCreateSecretAsync(BootcampDb db, KeysAtRest atRest, string name, int newestId, CancellationToken cancellationToken)
    {
        var existing = await db.Secrets.AsNoTracking().Where(s => s.Name == name).Select(s => s.KeyId).ToListAsync(cancellationToken);
        foreach (var id in Enumerable.Range(1, newestId).Except(existing))
        {
            db.Secrets.Add(new SecretRecord { Name = name, KeyId = id, Value = atRest.Seal(RandomNumberGenerator.GetBytes(32)) });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another process created it first; theirs is the one everyone uses.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
        var stored = await db.Secrets.AsNoTracking().Where(s => s.Name == name).ToListAsync(cancellationToken);
        var keys = new List<SecretKey>(stored.Count);
        foreach (var row in stored)
        {
            var key = atRest.Open(name, row.Value);
            if (atRest.Encrypted && !KeysAtRest.IsSealed(row.Value))
            {
                // Only while the row still holds the plain value: processes starting together each seal it (with
                // different random padding), the first write wins, and every one of them holds the same key.
                var plain = row.Value;
                var sealedValue = atRest.Seal(key);
                await db.Secrets.Where(s => s.Name == name && s.KeyId == row.KeyId && s.Value == plain)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, sealedValue), cancellationToken);
            }
            keys.Add(new SecretKey(row.KeyId, key));
        }
        return keys;
    }
}
