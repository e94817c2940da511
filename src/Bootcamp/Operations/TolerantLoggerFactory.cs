using Microsoft.Extensions.Logging.Abstractions;

namespace Bootcamp.Operations;

/// <summary>
/// Quartz 3 and Hangfire log through process-wide statics. When one host in a process is disposed and
/// another starts (tests, benchmarks), they would ask the dead host's factory for loggers and throw —
/// Hangfire even from a static constructor, poisoning the process. This forwards to the live host's
/// factory and falls back to a null logger instead.
/// </summary>
internal sealed class TolerantLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
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
