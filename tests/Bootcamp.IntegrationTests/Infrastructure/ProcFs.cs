using System.Globalization;
using System.Runtime.InteropServices;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>What Linux's /proc says about a process: memory, CPU time, parent. Null once it is gone.</summary>
internal static class ProcFs
{
    private const int ScClockTicks = 2; // _SC_CLK_TCK

    // /proc/<pid>/stat counts CPU time in clock ticks (USER_HZ), usually 100 a second.
    private static readonly double TicksPerSecond = sysconf(ScClockTicks) is > 0 and var ticks ? ticks : 100;

    /// <summary>A memory line of /proc/&lt;pid&gt;/status, such as VmRSS or VmHWM (peak RSS), in megabytes.</summary>
    public static double? MemoryMegabytes(int pid, string key)
    {
        foreach (var line in ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kilobytes / 1024.0;
            }
        }
        return null;
    }

    /// <summary>User plus system CPU time; with <paramref name="reapedChildren"/>, also that of its exited, reaped children.</summary>
    public static TimeSpan? CpuTime(int pid, bool reapedChildren = false)
    {
        if (StatFields(pid) is not { } f)
        {
            return null;
        }
        // Fields after "(comm)": [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime.
        var ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        if (reapedChildren)
        {
            ticks += long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
        }
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    public static int? ParentOf(int pid) =>
        StatFields(pid) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : null;

    public static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(System.IO.Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid) && ParentOf(pid) == parent)
            {
                yield return pid;
            }
        }
    }

    /// <summary>CPU time the whole machine spent busy (all cores, all processes) since boot.</summary>
    public static TimeSpan MachineBusy()
    {
        // "cpu  user nice system idle iowait irq softirq steal …": busy is everything but idle and iowait.
        var f = ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        for (var i = 1; i < Math.Min(f.Length, 9); i++)
        {
            if (i is not (4 or 5))
            {
                busy += long.Parse(f[i], CultureInfo.InvariantCulture);
            }
        }
        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static string[]? StatFields(int pid)
    {
        var stat = ReadLines($"/proc/{pid}/stat").FirstOrDefault();
        // The command name may hold spaces and parentheses; the fields start after its last ')'.
        var end = stat?.LastIndexOf(')') ?? -1;
        return end < 0 ? null : stat![(end + 2)..].Split(' ');
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long sysconf(int name);
}
