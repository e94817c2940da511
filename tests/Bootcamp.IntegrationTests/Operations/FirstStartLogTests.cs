using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Bootcamp.IntegrationTests.Operations;

/// <summary>What an operator reads on the first start against an empty database: no errors.</summary>
public sealed class FirstStartLogTests
{
    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task The_first_start_on_an_empty_database_logs_no_error(string provider)
    {
        var storage = await TestStorage.CreateAsync(provider);
        string[] args = [$"--contentRoot={RepositoryRoot.Path}", "--Admin:Email=", "--Admin:Password=", .. storage.Arguments()];
        using var logs = new FakeLoggerProvider();

        await using (var app = BootcampApp.Build(args))
        {
            app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
            await app.PrepareAsync();
        }

        Assert.Empty(logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Error).Select(r => $"{r.Level} {r.Category}: {r.Message}"));
    }
}
