using System.Diagnostics;
using System.Globalization;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>
/// Kills the host if the process that started it (a test run, a benchmark) dies without doing so itself (SIGKILL, a crash in the runtime), as
/// the PostgreSQL cluster's own watchdog does for the cluster. It runs detached (setsid), polls both
/// processes, and kills only a process that still carries this run's marker, never a reused pid.
/// </summary>
internal static class OrphanWatchdog
{
    public const string MarkerVariable = "BOOTCAMP_HOST_RUN";

    // Arguments: the starter's pid, the host pid, the marker value.
    private const string Script = """
        exec </dev/null >/dev/null 2>&1
        while kill -0 "$1" && kill -0 "$2"; do sleep 0.5; done
        if tr '\0' '\n' < "/proc/$2/environ" | grep -qx "BOOTCAMP_HOST_RUN=$3"; then kill -KILL "$2"; fi
        """;

    public static void Watch(int hostPid, string marker)
    {
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in (string[])["-f", "sh", "-c", Script, "bootcamp-host-watchdog",
                     Environment.ProcessId.ToString(CultureInfo.InvariantCulture), hostPid.ToString(CultureInfo.InvariantCulture), marker])
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start);
            process?.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // Without setsid, only the in-process clean-up remains; say so rather than fail the run.
            HostProcess.Say($"no orphan watchdog for the host ({e.Message}); a killed harness may leave it running");
        }
    }
}
