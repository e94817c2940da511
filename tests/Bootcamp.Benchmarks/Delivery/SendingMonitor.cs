using Bootcamp.Benchmarks.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.Benchmarks.Delivery;

/// <summary>While the host sends: a progress line a second, and the host's resident memory sampled five times a second.</summary>
internal sealed class SendingMonitor : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;

    private SendingMonitor(HostProcess host, SmtpSink sink, int expected) => running = RunAsync(host, sink, expected, stop.Token);

    /// <summary>The largest VmRSS seen while sending.</summary>
    public double MaxRssMegabytes { get; private set; }

    public static SendingMonitor Start(HostProcess host, SmtpSink sink, int expected) => new(host, sink, expected);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
    }

    private async Task RunAsync(HostProcess host, SmtpSink sink, int expected, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var ticks = 0;
        var lastCount = 0;
        var lastCpu = host.CpuTime;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                MaxRssMegabytes = Math.Max(MaxRssMegabytes, host.RssMegabytes ?? 0);
                if (++ticks % 5 != 0)
                {
                    continue;
                }
                var count = sink.Messages.Count;
                var cpu = host.CpuTime;
                Progress.Say($"received {count}/{expected} (+{count - lastCount} in the last second), host RSS {host.RssMegabytes:0} MB, host CPU {(cpu - lastCpu).TotalSeconds * 100:0}% of a core");
                lastCount = count;
                lastCpu = cpu;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
