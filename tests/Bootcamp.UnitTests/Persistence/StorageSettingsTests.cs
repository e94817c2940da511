using Bootcamp.Operations;
using Bootcamp.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Bootcamp.UnitTests.Persistence;

public sealed class StorageSettingsTests : IDisposable
{
    private readonly DirectoryInfo _contentRoot = Directory.CreateTempSubdirectory("bootcamp-root-");

    [Fact]
    public void The_default_is_a_sqlite_file_under_data_in_the_content_root()
    {
        var settings = Read();

        Assert.Equal(StorageProvider.Sqlite, settings.Provider);
        var expected = Path.Combine(_contentRoot.FullName, "data", "bootcamp.db");
        Assert.Equal(expected, new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource);
        Assert.True(Directory.Exists(Path.Combine(_contentRoot.FullName, "data")));
    }

    [Fact]
    public void Sqlite_waits_for_the_writer_rather_than_failing_at_once()
    {
        Assert.Equal(30, new SqliteConnectionStringBuilder(Read().ConnectionString).DefaultTimeout);
    }

    [Fact]
    public void Postgres_connections_prepare_hot_statements_and_skip_the_reset_unless_the_operator_says_otherwise()
    {
        var defaults = new Npgsql.NpgsqlConnectionStringBuilder(Read(("Storage:Provider", "Postgres"), ("ConnectionStrings:Postgres", "Host=db")).ConnectionString);
        var chosen = new Npgsql.NpgsqlConnectionStringBuilder(Read(("Storage:Provider", "Postgres"),
            ("ConnectionStrings:Postgres", "Host=db;Max Auto Prepare=0;No Reset On Close=false")).ConnectionString);

        Assert.Equal((64, 2, true), (defaults.MaxAutoPrepare, defaults.AutoPrepareMinUsages, defaults.NoResetOnClose));
        Assert.Equal((0, false), (chosen.MaxAutoPrepare, chosen.NoResetOnClose));
    }

    [Fact]
    public void An_in_memory_sqlite_database_is_left_as_it_is()
    {
        var settings = Read(("ConnectionStrings:Sqlite", "Data Source=:memory:"));

        Assert.Equal(":memory:", new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource);
    }

    [Fact]
    public void The_provider_name_is_not_case_sensitive()
    {
        var settings = Read(("Storage:Provider", "postgres"), ("ConnectionStrings:Postgres", "Host=127.0.0.1;Username=postgres"));

        Assert.Equal(StorageProvider.Postgres, settings.Provider);
    }

    [Fact]
    public void An_unknown_provider_stops_start_up_naming_the_key()
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(("Storage:Provider", "Oracle")));

        Assert.Equal("Storage:Provider", error.Key);
        Assert.StartsWith("Storage:Provider: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_without_a_connection_string_stops_start_up_naming_the_key()
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(("Storage:Provider", "Postgres")));

        Assert.Equal("ConnectionStrings:Postgres", error.Key);
    }

    [Fact]
    public void A_malformed_postgres_connection_string_stops_start_up_naming_the_key()
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(("Storage:Provider", "Postgres"), ("ConnectionStrings:Postgres", "Hots=nowhere")));

        Assert.Equal("ConnectionStrings:Postgres", error.Key);
    }

    [Fact]
    public void A_malformed_sqlite_connection_string_stops_start_up_naming_the_key()
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(("ConnectionStrings:Sqlite", "Dta Source=x.db")));

        Assert.Equal("ConnectionStrings:Sqlite", error.Key);
    }

    public void Dispose() => _contentRoot.Delete(recursive: true);

    private StorageSettings Read(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return StorageSettings.Read(configuration, _contentRoot.FullName);
    }
}
