using System.Globalization;

namespace Bootcamp.Benchmarks.Hosting;

/// <summary>
/// The resident memory of a process and of every process it starts (the host's template compiler, say),
/// sampled from its start: the peak is the most the whole tree held at one moment, which is what a
/// machine must have room for. A child that lives for a second or two is seen: sampling is every 20 ms
/// while a child runs or the process is young.
/// </summary>
internal sealed class ProcessTreeMemory : IDisposable
{
    private static readonly TimeSpan Young = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Slow = TimeSpan.FromMilliseconds(200);

    private readonly int root;
    private readonly Lock gate = new();
    private readonly Dictionary<int, (string Name, double PeakMegabytes)> children = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Thread thread;
    private double peakSum;

    public ProcessTreeMemory(int root)
    {
        this.root = root;
        // A thread of its own: the pool may be saturated by the load generator exactly when a child starts.
        thread = new Thread(Run) { IsBackground = true, Name = "process-tree-memory" };
        thread.Start();
    }

    /// <summary>The largest sum of VmRSS over the tree seen at one sample, and never less than the root's own VmHWM.</summary>
    public double PeakMegabytes
    {
        get
        {
            lock (gate)
            {
                return Math.Max(peakSum, ProcFs.MemoryMegabytes(root, "VmHWM") ?? 0);
            }
        }
    }

    /// <summary>Every child process seen so far, with the most memory it held (its last VmHWM read).</summary>
    public IReadOnlyList<(int Pid, string Name, double PeakMegabytes)> Children
    {
        get
        {
            lock (gate)
            {
                return [.. children.Select(c => (c.Key, c.Value.Name, c.Value.PeakMegabytes))];
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        thread.Join(TimeSpan.FromSeconds(2));
        stop.Dispose();
    }

    private void Run()
    {
        var started = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            var anyChild = Sample();
            stop.Token.WaitHandle.WaitOne(anyChild || DateTime.UtcNow - started < Young ? Fast : Slow);
        }
    }

    // Returns whether a child was running.
    private bool Sample()
    {
        if (ProcFs.MemoryMegabytes(root, "VmRSS") is not { } rootRss)
        {
            return false;
        }
        var sum = rootRss;
        var anyChild = false;
        foreach (var pid in Descendants(root))
        {
            if (ProcFs.MemoryMegabytes(pid, "VmRSS") is not { } rss)
            {
                continue;
            }
            anyChild = true;
            sum += rss;
            var peak = ProcFs.MemoryMegabytes(pid, "VmHWM") ?? rss;
            lock (gate)
            {
                var name = children.TryGetValue(pid, out var known) ? known.Name : ShortName(pid);
                children[pid] = (name, Math.Max(known.PeakMegabytes, peak));
            }
        }
        lock (gate)
        {
            peakSum = Math.Max(peakSum, sum);
        }
        return anyChild;
    }

    // /proc/<pid>/task/<tid>/children lists the children each thread started; the tree is walked down.
    private static IEnumerable<int> Descendants(int pid)
    {
        var pending = new Stack<int>();
        pending.Push(pid);
        while (pending.TryPop(out var parent))
        {
            string[] tasks;
            try
            {
                tasks = Directory.GetDirectories($"/proc/{parent}/task");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var task in tasks)
            {
                string text;
                try
                {
                    text = File.ReadAllText(Path.Combine(task, "children"));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue;
                }
                foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var child = int.Parse(part, CultureInfo.InvariantCulture);
                    yield return child;
                    pending.Push(child);
                }
            }
        }
    }

    private static string ShortName(int pid)
    {
        var words = ProcFs.CommandLine(pid).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Select(w => w.Contains('/', StringComparison.Ordinal) ? Path.GetFileName(w) : w).Take(3));
    }
}
