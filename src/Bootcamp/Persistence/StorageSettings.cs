using Bootcamp.Operations;
using Microsoft.Data.Sqlite;

namespace Bootcamp.Persistence;

/// <summary>The provider and connection string, read and checked before anything is registered.</summary>
public sealed record StorageSettings(StorageProvider Provider, string ConnectionString)
{
    public static StorageSettings Read(IConfiguration configuration, string contentRoot)
    {
        var providerText = configuration["Storage:Provider"];
        var provider = StorageProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerText) && !Enum.TryParse(providerText, ignoreCase: true, out provider))
        {
            throw new ConfigurationException("Storage:Provider", $"'{providerText}' is not a storage provider; use Sqlite or Postgres.");
        }
        if (provider == StorageProvider.Postgres)
        {
            var postgres = configuration.GetConnectionString("Postgres");
            if (string.IsNullOrWhiteSpace(postgres))
            {
                throw new ConfigurationException("ConnectionStrings:Postgres", "is required when Storage:Provider is Postgres.");
            }
            Npgsql.NpgsqlConnectionStringBuilder npgsql;
            try
            {
                npgsql = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
            }
            catch (ArgumentException e)
            {
                throw new ConfigurationException("ConnectionStrings:Postgres", $"is not a valid connection string: {e.Message}");
            }
            // Every pooled connection's return cost a DISCARD ALL (2.4 per lesson, measured) and threw away
            // prepared statements; this app sets no session state worth resetting.
            if (!postgres.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
            {
                npgsql.NoResetOnClose = true;
            }
            // The hot statements (claim, take, mark sent, Hangfire's fetch) are the same few texts again and
            // again: prepared on each pooled connection after their second use, PostgreSQL stops parsing
            // and planning them every time.
            if (!postgres.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
            {
                npgsql.MaxAutoPrepare = 64;
                npgsql.AutoPrepareMinUsages = 2;
            }
            return new StorageSettings(provider, npgsql.ConnectionString);
        }

        var sqlite = configuration.GetConnectionString("Sqlite");
        if (string.IsNullOrWhiteSpace(sqlite))
        {
            sqlite = "Data Source=data/bootcamp.db";
        }
        SqliteConnectionStringBuilder csb;
        try
        {
            csb = new SqliteConnectionStringBuilder(sqlite);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException("ConnectionStrings:Sqlite", $"is not a valid connection string: {e.Message}");
        }
        // A relative file is relative to the content root (the repository root under `dotnet run`).
        if (!string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            csb.DataSource = Path.GetFullPath(csb.DataSource, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(csb.DataSource)!);
        }
        // Writers queue rather than fail while another writes (SQLite has one writer at a time).
        if (!sqlite.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            csb.DefaultTimeout = 30;
        }
        return new StorageSettings(provider, csb.ToString());
    }
}
