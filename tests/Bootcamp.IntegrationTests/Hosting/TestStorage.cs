using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.IntegrationTests.Hosting;

/// <summary>A fresh, empty database for one test: a new PostgreSQL database or a new SQLite file.</summary>
public sealed record TestStorage(string Provider, string ConnectionString)
{
    public static async Task<TestStorage> CreateAsync(string provider) => provider switch
    {
        "Postgres" => new TestStorage(provider, await PostgresServer.CreateDatabaseAsync("bootcamp")),
        "Sqlite" => new TestStorage(provider, $"Data Source={TestScratch.NewPath("bootcamp", ".db")}"),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Postgres or Sqlite"),
    };

    public IEnumerable<string> Arguments()
    {
        yield return $"--Storage:Provider={Provider}";
        yield return $"--ConnectionStrings:{Provider}={ConnectionString}";
    }
}
