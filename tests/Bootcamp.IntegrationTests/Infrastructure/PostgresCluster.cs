using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>What a cluster trades away for speed.</summary>
internal enum ClusterSettings
{
    /// <summary>fsync, synchronous_commit and full_page_writes off: for tests whose data is thrown away and whose server is never stopped under them.</summary>
    Fast,

    /// <summary>
    /// synchronous_commit on (fsync and full_page_writes still off): a commit is acknowledged once its WAL is in the
    /// operating system's hands, so a server killed at any moment (`pg_ctl stop -m immediate`) comes back with every
    /// commit it acknowledged, as a production server does. Only a crash of the machine could lose them, which no test
    /// makes. With synchronous_commit off, the last few hundred milliseconds of acknowledged commits die with the
    /// server: a test of outages then saw a reader's lessons vanish (the database's loss, not the service's).
    /// </summary>
    SurvivesServerCrash,

    /// <summary>PostgreSQL's defaults, as a production server runs: every commit waits for its WAL flush to disk.</summary>
    Durable,
}

// A PostgreSQL cluster in a fresh temporary directory, owned by this process.
internal sealed class PostgresCluster : IDisposable
{
    private const string DirectoryPrefix = "bootcamp-pg-";
    private const string OwnerFileName = "owner.pid";
    private const string ServerUser = "postgres";
    private const int StartAttempts = 3;
    private const int SigQuit = 3;

    // Arguments: the owning process id, the cluster directory. Detached from the test host, it outlives it.
    private const string WatchdogScript = """
        exec </dev/null >/dev/null 2>&1
        while kill -0 "$1"; do sleep 0.5; done
        pid=$(head -n 1 "$2/data/postmaster.pid")
        if [ -n "$pid" ] && grep -qs -- "$2" "/proc/$pid/cmdline"; then
            kill -QUIT "$pid"
            while grep -qs -- "$2" "/proc/$pid/cmdline"; do sleep 0.1; done
        fi
        rm -rf -- "$2"
        """;

    private readonly string binDirectory;
    private readonly string directory;
    private readonly ClusterSettings settings;
    private int disposed;

    private PostgresCluster(string binDirectory, string directory, ClusterSettings settings)
    {
        this.binDirectory = binDirectory;
        this.directory = directory;
        this.settings = settings;
    }

    public int Port { get; private set; }

    // The postgres user must be able to reach the directory; root's TMPDIR may be private to root.
    private static string TempRoot => Environment.IsPrivilegedProcess ? "/tmp" : Path.GetTempPath();

    private string DataDirectory => Path.Combine(directory, "data");

    private string LogFile => Path.Combine(directory, "log");

    public static PostgresCluster Start() => Start(ClusterSettings.Fast);

    public static PostgresCluster Start(ClusterSettings settings)
    {
        var binDirectory = FindBinDirectory();
        RemoveAbandonedClusters();

        var directory = Path.Combine(TempRoot, DirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, OwnerFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        StartWatchdog(directory);
        var cluster = new PostgresCluster(binDirectory, directory, settings);
        var started = false;
        try
        {
            // PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user.
            if (Environment.IsPrivilegedProcess)
            {
                Run("chown", ["-R", $"{ServerUser}:{ServerUser}", directory], directory, logFile: null);
            }

            cluster.RunAsServerUser("initdb",
                ["-D", cluster.DataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
            cluster.StartServer();
            started = true;
            return cluster;
        }
        finally
        {
            if (!started)
            {
                cluster.Dispose();
            }
        }
    }

    // Stops the server at once (no checkpoint: the data is thrown away) and deletes the directory.
    // The test host is killed moments after ProcessExit starts, often before the data directory is gone:
    // the watchdog finishes the job, and cleans up after a host that was killed outright too.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            StopServer(DataDirectory);
            DeleteDirectory(directory);
        }
    }

    /// <summary>A database outage: the server goes away at once, as after a crash (`pg_ctl stop -m immediate`).</summary>
    public void Stop() => RunAsServerUser("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);

    /// <summary>The server comes back on the same port and data directory after <see cref="Stop"/>, with what it had.</summary>
    public void Restart() => StartOn(Port);

    public string AdminConnectionString => new Npgsql.NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = "postgres",
        IncludeErrorDetail = true,
    }.ConnectionString;

    // The port is free when picked but could be taken before postgres binds it: try another one.
    private void StartServer()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            try
            {
                StartOn(port);
                return;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && LogMentionsPortInUse())
            {
                StopServer(DataDirectory);
            }
        }
    }

    private void StartOn(int port)
    {
        var durability = settings switch
        {
            ClusterSettings.Durable => "-c fsync=on -c synchronous_commit=on -c full_page_writes=on",
            ClusterSettings.SurvivesServerCrash => "-c fsync=off -c synchronous_commit=on -c full_page_writes=off",
            _ => "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        };
        var options = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 {durability} "
            + "-c max_connections=1000 -c shared_buffers=64MB";
        RunAsServerUser("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-o", options, "-w", "-t", "60", "start"]);
        Port = port;
    }

    private bool LogMentionsPortInUse() =>
        File.Exists(LogFile) && File.ReadAllText(LogFile).Contains("Address already in use", StringComparison.Ordinal);

    private void RunAsServerUser(string program, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(binDirectory, program);
        if (Environment.IsPrivilegedProcess)
        {
            Run("runuser", ["-u", ServerUser, "--", path, .. arguments], directory, LogFile);
        }
        else
        {
            Run(path, arguments, directory, LogFile);
        }
    }

    // What `pg_ctl stop -m immediate` does, without starting runuser and pg_ctl: the test host gives
    // ProcessExit handlers only a moment before it is killed, too little for two more processes.
    private static void StopServer(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)
            || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid)
            || !IsPostmasterOf(pid, dataDirectory))
        {
            return;
        }

        _ = Kill(pid, SigQuit);
        var waited = Stopwatch.StartNew();
        while (IsPostmasterOf(pid, dataDirectory) && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(10);
        }
    }

    // A stale postmaster.pid may name a process id that now belongs to something else. A zombie
    // (exited, not yet reaped: PID 1 here reaps slowly) has an empty command line, so it counts as gone.
    private static bool IsPostmasterOf(int pid, string dataDirectory)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains("postgres", StringComparison.Ordinal)
                && commandLine.Contains(dataDirectory, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Best effort: a directory left behind is removed by the next run's RemoveAbandonedClusters.
    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    // For clusters whose watchdog did not finish either (a reboot, a killed watchdog).
    private static void RemoveAbandonedClusters()
    {
        foreach (var directory in Directory.EnumerateDirectories(TempRoot, DirectoryPrefix + "*"))
        {
            var ownerFile = Path.Combine(directory, OwnerFileName);
            if (File.Exists(ownerFile)
                && int.TryParse(File.ReadAllText(ownerFile), CultureInfo.InvariantCulture, out var owner)
                && !Directory.Exists($"/proc/{owner}"))
            {
                StopServer(Path.Combine(directory, "data"));
                DeleteDirectory(directory);
            }
        }
    }

    private static void StartWatchdog(string directory)
    {
        // setsid -f: the shell's parent exits at once, so the shell leaves the test host's process tree.
        Run("setsid", ["-f", "sh", "-c", WatchdogScript, "bootcamp-pg-watchdog",
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture), directory], directory, logFile: null);
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var newest = Directory.Exists(root)
            ? Directory.EnumerateDirectories(root)
                .Select(d => (Version: decimal.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : -1m,
                    Bin: Path.Combine(d, "bin")))
                .Where(d => File.Exists(Path.Combine(d.Bin, "initdb")) && File.Exists(Path.Combine(d.Bin, "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Bin)
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            $"No PostgreSQL binaries under {root}/*/bin. Install the postgresql package, or set "
            + $"{PostgresServer.EnvironmentVariable} to the connection string of a server to use.");
    }


    private static void Run(string fileName, IReadOnlyList<string> arguments, string workingDirectory, string? logFile)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', [fileName, .. arguments]);
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {commandLine}");
        // Both streams are drained at once so that a full pipe never blocks the child.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExit(TimeSpan.FromMinutes(2));
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        if (exited && process.ExitCode == 0)
        {
            return;
        }

        var log = logFile is not null && File.Exists(logFile) ? File.ReadAllText(logFile) : "(none)";
        throw new InvalidOperationException(
            $"{commandLine} {(exited ? $"exited with code {process.ExitCode}" : "timed out")}.\n"
            + $"--- output ---\n{stdout.GetAwaiter().GetResult()}{stderr.GetAwaiter().GetResult()}\n"
            + $"--- server log {logFile} ---\n{log}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
