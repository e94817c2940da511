using System.Diagnostics;
using Bootcamp.IntegrationTests.Infrastructure;
using Npgsql;

namespace Bootcamp.Benchmarks.Hosting;

/// <summary>CPU time spent so far by the host, PostgreSQL, this harness (load generator, SMTP sink) and the whole machine.</summary>
internal sealed record CpuSample(TimeSpan Wall, TimeSpan Host, TimeSpan? Postgres, TimeSpan Harness, TimeSpan Machine)
{
    public static readonly CpuSample Zero = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>This total plus what was spent from <paramref name="from"/> to <paramref name="to"/>: several short windows added up.</summary>
    public CpuSample Plus(CpuSample from, CpuSample to) => new(
        Wall + (to.Wall - from.Wall),
        Host + (to.Host - from.Host),
        Postgres is { } p && to.Postgres is { } end && from.Postgres is { } start ? p + (end - start) : null,
        Harness + (to.Harness - from.Harness),
        Machine + (to.Machine - from.Machine));
}

/// <summary>Where the CPU went during a measured window: the two cores are shared by everything on them.</summary>
internal sealed class CpuMeter(HostProcess host, int? postmasterPid)
{
    private readonly Stopwatch wall = Stopwatch.StartNew();

    /// <summary>The postmaster of the server behind <paramref name="connectionString"/>, when it runs on this machine.</summary>
    public static async Task<int?> FindPostmasterAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        // Each backend is a child of the postmaster; a server elsewhere has no such process here.
        return ProcFs.ParentOf(backend) is { } parent && ProcFs.CommandLine(parent).Contains("postgres", StringComparison.Ordinal)
            ? parent
            : null;
    }

    public CpuSample Sample() => new(
        wall.Elapsed,
        host.CpuTime,
        postmasterPid is { } postmaster ? PostgresCpu(postmaster) : null,
        ProcFs.CpuTime(Environment.ProcessId) ?? TimeSpan.Zero,
        ProcFs.MachineBusy());

    /// <summary>CPU at the exact start and end of a measured window that begins after <paramref name="warmUp"/>, on a timer of its own.</summary>
    public async Task<(CpuSample Before, CpuSample After)> SampleWindowAsync(TimeSpan warmUp, TimeSpan measured, CancellationToken cancellationToken)
    {
        await Task.Delay(warmUp, cancellationToken);
        var before = Sample();
        await Task.Delay(measured, cancellationToken);
        return (before, Sample());
    }

    public static string Describe(CpuSample from, CpuSample to)
    {
        var wallSeconds = (to.Wall - from.Wall).TotalSeconds;
        var hostSeconds = (to.Host - from.Host).TotalSeconds;
        var harnessSeconds = (to.Harness - from.Harness).TotalSeconds;
        var postgresSeconds = to.Postgres is { } p && from.Postgres is { } q ? (p - q).TotalSeconds : (double?)null;
        var machineSeconds = (to.Machine - from.Machine).TotalSeconds;
        var others = machineSeconds - hostSeconds - harnessSeconds - (postgresSeconds ?? 0);
        string Share(double seconds) => $"{seconds:0.0} s ({seconds / wallSeconds * 100:0}% of a core)";
        return $"CPU over {wallSeconds:0.0} s on {Environment.ProcessorCount} cores ({wallSeconds * Environment.ProcessorCount:0.0} core-s): "
            + $"host {Share(hostSeconds)}, postgres {(postgresSeconds is { } s ? Share(s) : "n/a")}, "
            + $"harness+sink {Share(harnessSeconds)}, everything else {Share(Math.Max(0, others))}, idle {Share(Math.Max(0, wallSeconds * Environment.ProcessorCount - machineSeconds))}";
    }

    // The postmaster, its live children (backends, walwriter, autovacuum…) and children already reaped.
    private static TimeSpan? PostgresCpu(int postmaster)
    {
        if (ProcFs.CpuTime(postmaster, reapedChildren: true) is not { } total)
        {
            return null;
        }
        foreach (var child in ProcFs.ChildrenOf(postmaster))
        {
            total += ProcFs.CpuTime(child) ?? TimeSpan.Zero;
        }
        return total;
    }
}
