using System.Diagnostics;
using Bootcamp.Benchmarks.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.Benchmarks.Signup;

/// <summary>
/// <c>POST /api/enrollments</c> against the host as its own process, on the embedded default (SQLite,
/// in-memory job storage, mail as files) or with <c>--postgres</c> on PostgreSQL; rate limits lifted. With
/// <c>--smtp true</c> confirmations go to an SMTP sink on loopback instead of files; the report says how
/// many were sent by the end, since they may fall behind the sign-ups.
/// The confirmation files stand in for a mail server, as the delivery benchmark's sink does, so they go to
/// a memory-backed folder (/dev/shm) when there is one: 2,000 new files a second on this VM's virtual disk
/// measured its journal, not the host (1,230–2,170/s from run to run with them on disk, 2,320–2,400/s with
/// only the SQLite file there). <c>--mail-on-disk true</c> puts them beside the SQLite file.
/// </summary>
internal static class SignupBenchmark
{
    public static async Task<BenchmarkResult> RunAsync(BenchmarkArguments arguments, CancellationToken cancellationToken)
    {
        var onPostgres = arguments.Flag("postgres");
        var toFiles = !arguments.Flag("smtp");
        var mailOnDisk = arguments.Flag("mail-on-disk");
        var concurrency = arguments.Int("concurrency", 32);
        // 10 s, as a running server is warm: after 3 s the JIT was still tiering the sign-up path up
        // (1,133–1,340/s, p99 86–108 ms, against 1,587–1,694/s, p99 35–37 ms after 10 s).
        var warmUp = TimeSpan.FromSeconds(arguments.Int("warmup", 10, min: 0));
        var measured = TimeSpan.FromSeconds(arguments.Int("seconds", 15));

        using var folder = new TempFolder();
        await using var database = onPostgres ? await BenchmarkDatabase.CreateAsync("signup") : null;
        using var mailFolder = new TempFolder(mailOnDisk ? null : TempFolder.InMemoryRoot());
        var mail = mailFolder.Path;
        await using var sink = toFiles ? null : await SmtpSink.StartAsync();
        List<string> storage = database is null
            ? [$"ConnectionStrings:Sqlite=Data Source={Path.Combine(folder.Path, "bootcamp.db")}"]
            : ["Storage:Provider=Postgres", $"ConnectionStrings:Postgres={database.ConnectionString}"];
        Progress.Say($"storage: {(database is null ? "SQLite in " + folder.Path : "PostgreSQL")}; confirmations {(sink is null ? "as files in " + mail : $"to the SMTP sink on 127.0.0.1:{sink.Port}")}");
        List<string> delivery = sink is null
            ? ["Smtp:Host=", $"Smtp:PickupDirectory={mail}"]
            : ["Smtp:Host=127.0.0.1", $"Smtp:Port={sink.Port}", "Smtp:Security=None"];

        await using var host = HostProcess.Start(
        [
            .. storage,
            .. delivery,
            "RateLimits:SignupsPerIpPerMinute=0",
            "RateLimits:ConfirmationsPerAddressPerDay=0",
            .. arguments.HostSettings,
        ]);
        var ready = await host.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        Progress.Say($"host ready after {ready.TotalSeconds:0.00} s, RSS {host.RssMegabytes:0} MB");
        var meter = new CpuMeter(host, database is null ? null : await CpuMeter.FindPostmasterAsync(database.ConnectionString, cancellationToken));

        Progress.Say($"{concurrency} workers: {warmUp.TotalSeconds:0} s warm-up, then {measured.TotalSeconds:0} s measured");
        var load = new SignupLoad(host.BaseUrl, concurrency);
        var started = Stopwatch.GetTimestamp();
        var running = load.RunAsync(warmUp + measured, cancellationToken);
        var window = meter.SampleWindowAsync(warmUp, measured, cancellationToken);
        await ReportAsync(load, host, running, cancellationToken);
        var samples = await running;
        var (before, after) = await window;
        var measureFrom = started + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(measured.TotalSeconds * Stopwatch.Frequency);

        // The measured window: requests answered in it, whenever they started.
        var inWindow = samples.Where(s => s.Finished >= measureFrom && s.Finished <= measureTo).ToList();
        var latencies = new LatencySummary(inWindow.Select(s => s.Milliseconds));
        var perSecond = inWindow.Count / measured.TotalSeconds;
        var errors = samples.Where(s => s.Status != 202).ToList();
        Progress.Say($"{inWindow.Count} answered in the measured {measured.TotalSeconds:0} s = {perSecond:0}/s; "
            + $"latency p50 {latencies.Percentile(50):0.0} ms, p90 {latencies.Percentile(90):0.0} ms, p99 {latencies.Percentile(99):0.0} ms, max {latencies.Max:0.0} ms");
        Progress.Say(CpuMeter.Describe(before, after));
        var peak = host.PeakRssMegabytes ?? double.NaN;
        Progress.Say($"host memory: RSS {host.RssMegabytes:0} MB now, peak (VmHWM) {peak:0} MB; "
            + $"confirmations sent so far: {(sink is not null ? sink.Messages.Count : Directory.Exists(mail) ? Directory.EnumerateFiles(mail).Count() : 0)} of {samples.Count}");

        var failures = new List<string>();
        if (errors.Count > 0)
        {
            var byStatus = errors.GroupBy(s => s.Status).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {g.Count()}");
            failures.Add($"{errors.Count} of {samples.Count} answers were not 202 ({string.Join(", ", byStatus)})");
        }

        var figures = new Figures("signup")
            .Whole("signup_per_s", perSecond)
            .Decimal("p99_ms", latencies.Percentile(99), 1)
            .Decimal("p50_ms", latencies.Percentile(50), 1)
            .Whole("requests", samples.Count)
            .Whole("errors", errors.Count)
            .Whole("peak_rss_mb", peak)
            .Decimal("ready_s", ready.TotalSeconds);
        return new BenchmarkResult(figures, failures);
    }

    private static async Task ReportAsync(SignupLoad load, HostProcess host, Task running, CancellationToken cancellationToken)
    {
        var last = 0L;
        while (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)) != running)
        {
            var answered = load.Answered;
            Progress.Say($"{answered} sign-ups sent (+{answered - last} in the last second), host RSS {host.RssMegabytes:0} MB");
            last = answered;
        }
    }
}
