using Microsoft.Extensions.Logging.Abstractions;

namespace Bootcamp.Jobs;

/// <summary>
/// Quartz 3 logs through a process-wide static. When one host in a process is disposed and another
/// starts (tests, benchmarks), Quartz would ask the dead host's factory for loggers and throw; this
/// forwards to the live host and falls back to a null logger instead.
/// </summary>
internal sealed class QuartzLogging(ILoggerFactory inner) : ILoggerFactory
{
    public static void UseFor(IServiceProvider services) =>
        Quartz.Logging.LogContext.SetCurrentLogProvider(new QuartzLogging(services.GetRequiredService<ILoggerFactory>()));

    public ILogger CreateLogger(string categoryName)
    {
        try
        {
            return inner.CreateLogger(categoryName);
        }
        catch (ObjectDisposedException)
        {
            return NullLogger.Instance;
        }
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The host owns the real factory and disposes it.
    public void Dispose()
    {
    }
}
