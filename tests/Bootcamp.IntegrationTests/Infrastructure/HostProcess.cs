using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Net;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>
/// The real host, <c>dotnet Bootcamp.dll</c>, as its own process: its memory and CPU are then its own,
/// as in production, and not mixed with the load generator's or the sink's; and it can be killed (SIGKILL) as a
/// crashing production process would be.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 40;

    // Every host still running, for the clean-up on Ctrl+C, process exit and unhandled exceptions.
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process process;
    private readonly Stopwatch sinceStart;
    private readonly ConcurrentQueue<string> recentOutput = new();
    private volatile bool muted;
    private int disposed;

    private readonly string name;

    /// <summary>Where start-up notes and the hosts' output lines go (benchmarks print them as progress); nowhere by default.</summary>
    public static Action<string> Say { get; set; } = _ => { };

    private HostProcess(string name, Process process, Stopwatch sinceStart, string baseUrl)
    {
        this.name = name;
        this.process = process;
        this.sinceStart = sinceStart;
        BaseUrl = baseUrl;
        Pid = process.Id;
        memory = new ProcessTreeMemory(Pid);
    }

    private readonly ProcessTreeMemory memory;

    public string BaseUrl { get; }

    public string Name => name;

    public int Pid { get; }

    public double? RssMegabytes => ProcFs.MemoryMegabytes(Pid, "VmRSS");

    /// <summary>VmHWM: the most resident memory the process ever held, start-up included.</summary>
    public double? PeakRssMegabytes => ProcFs.MemoryMegabytes(Pid, "VmHWM");

    /// <summary>
    /// The most resident memory the host and every process it started held at one moment (the template
    /// compiler runs as a child during start-up), sampled from the start; never less than <see cref="PeakRssMegabytes"/>.
    /// </summary>
    public double TreePeakRssMegabytes => memory.PeakMegabytes;

    /// <summary>The child processes seen so far (sampled every 20 ms while the host is young), each with its peak.</summary>
    public IReadOnlyList<(int Pid, string Name, double PeakMegabytes)> Children => memory.Children;

    /// <summary>The child processes seen so far, each with its peak; for the progress lines.</summary>
    public string DescribeChildren() =>
        memory.Children is { Count: > 0 } children
            ? string.Join(", ", children.Select(c => $"{c.Name} (pid {c.Pid}) peak {c.PeakMegabytes:0} MB"))
            : "none seen";

    public TimeSpan CpuTime => ProcFs.CpuTime(Pid) ?? TimeSpan.Zero;

    /// <summary>Starts the host on a free loopback port with <paramref name="configuration"/> as <c>Key=Value</c> command-line settings.</summary>
    /// <param name="name">What progress lines call it (several hosts: "web", "worker1"…).</param>
    public static HostProcess Start(IEnumerable<string> configuration, string name = "host")
    {
        if (!File.Exists(HostAssembly.Path))
        {
            throw new HostProcessException($"{HostAssembly.Path} is missing; building the solution (or the benchmarks' or the tests' project) builds it.");
        }
        var port = LoopbackPort.Free();
        var baseUrl = $"http://127.0.0.1:{port}";
        string[] arguments = [$"contentRoot={HostAssembly.RepositoryRoot}", $"Urls={baseUrl}", $"Campaign:PublicBaseUrl={baseUrl}",
            $"Management:Urls=http://127.0.0.1:{LoopbackPort.FreeOtherThan(port)}",
            "Logging:LogLevel:Default=Warning", .. configuration];
        return Launch(name, HostAssembly.Path, [.. arguments.Select(a => "--" + a)], baseUrl);
    }

    /// <summary>This harness again, as a process of its own that serves <paramref name="mode"/> on a free loopback port (see Program.cs).</summary>
    public static HostProcess StartHarnessMode(string mode) =>
        Launch(mode, typeof(HostProcess).Assembly.Location, [mode, $"http://127.0.0.1:{LoopbackPort.Free()}"], null);

    private static HostProcess Launch(string name, string assembly, string[] arguments, string? baseUrl)
    {
        baseUrl ??= arguments[^1];
        var marker = Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = HostAssembly.RepositoryRoot,
        };
        // Measure what production runs, whatever this shell has set.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment[OrphanWatchdog.MarkerVariable] = marker;
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var sinceStart = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new HostProcessException("dotnet did not start.");
        var host = new HostProcess(name, process, sinceStart, baseUrl);
        Running[host.Pid] = process;
        process.OutputDataReceived += (_, e) => host.Forward(e.Data);
        process.ErrorDataReceived += (_, e) => host.Forward(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        OrphanWatchdog.Watch(host.Pid, marker);
        Say($"{name} started (pid {host.Pid}) at {baseUrl}");
        return host;
    }

    /// <summary>Waits for /health/ready to answer 200; returns the time from process start.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new HostProcessException($"The {name} exited with code {process.ExitCode} before it was ready. Its last output:\n{RecentOutput()}");
            }
            if (sinceStart.Elapsed > timeout)
            {
                throw new HostProcessException($"The {name} was not ready after {timeout.TotalSeconds:0} s. Its last output:\n{RecentOutput()}");
            }
            try
            {
                using var response = await http.GetAsync("/health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return sinceStart.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet, or still preparing.
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    public string RecentOutput() => string.Join('\n', recentOutput);

    /// <summary>Kills the process (SIGKILL), once; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        muted = true;
        memory.Dispose();
        Kill(process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Say($"{name} (pid {Pid}) did not exit within 10 s of SIGKILL");
        }
        Running.TryRemove(Pid, out _);
        process.Dispose();
    }

    public static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            Kill(process);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            // The data is throwaway: no graceful shutdown to wait for.
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private void Forward(string? line)
    {
        if (line is null)
        {
            return;
        }
        recentOutput.Enqueue(line);
        while (recentOutput.Count > OutputLinesKept && recentOutput.TryDequeue(out _))
        {
        }
        if (!muted)
        {
            Say(name + "| " + line);
        }
    }
}
