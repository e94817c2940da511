using Bootcamp.Operations;

namespace Bootcamp.Jobs;

/// <summary>
/// Quartz replaces its process-wide log provider with the host's raw logger factory while its
/// scheduler starts. Registered after Quartz's hosted service, this puts the tolerant wrapper back, so a
/// host disposed later in the same process (tests, benchmarks) cannot kill another host's trigger loop.
/// </summary>
internal sealed class QuartzLoggingGuard(ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Quartz.Logging.LogContext.SetCurrentLogProvider(new TolerantLoggerFactory(loggers));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
