using System.Collections.Concurrent;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        var errors = new ErrorCollector();

        await using (var app = BootcampApp.Build(args))
        {
            app.Services.GetRequiredService<ILoggerFactory>().AddProvider(errors);
            await app.PrepareAsync();
        }

        Assert.Empty(errors.Entries);
    }

    private sealed class ErrorCollector : ILoggerProvider
    {
        public ConcurrentQueue<string> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ErrorCollector owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    owner.Entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
                }
            }
        }
    }
}
