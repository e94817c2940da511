using System.Runtime.InteropServices;

namespace Bootcamp.Operations;

/// <summary>
/// Hands glibc's freed native memory back to the kernel every few seconds. The JIT and the runtime's
/// type loader allocate and free megabytes through malloc while a host warms up and tiers its hot paths,
/// and glibc keeps what a thread's arena once held. Elsewhere (musl, other systems) it does nothing.
/// </summary>
internal sealed class NativeHeapTrimmer(ILogger<NativeHeapTrimmer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                MallocTrim(0);
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            logger.LogDebug("malloc_trim is not available here: {Reason}", e.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
