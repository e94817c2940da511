using System.Diagnostics;
using Bootcamp.Benchmarks.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.Benchmarks.Signup;

/// <summary>
/// <c>POST /api/enrollments</c> against the host as its own process, on the embedded default (SQLite,
/// in-memory job storage, mail as files) or with <c>--postgres</c> on PostgreSQL; rate limits lifted. With
/// <c>--smtp true</c> confirmations go to an SMTP sink on loopback instead of files. Every accepted sign-up's
/// confirmation must be out within <c>--catch-up</c> seconds (10) of the last answer, or the run fails: a
/// rate the confirmations cannot keep up with is not one the service sustains.
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
        var catchUp = TimeSpan.FromSeconds(arguments.Int("catch-up", 10, min: 0));

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
        var failures = new List<string>();
        var accepted = samples.Count(s => s.Status == 202);
        int Confirmations() => sink is not null ? sink.Messages.Count : Directory.Exists(mail) ? Directory.EnumerateFiles(mail, "*.eml").Count() : 0;
        var atEnd = Confirmations();
        var (confirmations, lag) = await WaitForConfirmationsAsync(Confirmations, accepted, catchUp, cancellationToken);
        Progress.Say($"confirmations: {atEnd} of {accepted} accepted sign-ups out when the load stopped, "
            + (confirmations >= accepted ? $"all {lag.TotalSeconds:0.0} s later" : $"{confirmations} {catchUp.TotalSeconds:0} s later"));
        if (confirmations < accepted)
        {
            failures.Add($"confirmations fell behind: {confirmations} of {accepted} accepted sign-ups had theirs {catchUp.TotalSeconds:0} s after the last answer "
                + "(the rate is more than the service sustains; --catch-up sets the wait)");
        }
        else if (confirmations > accepted)
        {
            failures.Add($"{confirmations} confirmations for {accepted} accepted sign-ups: some were sent twice");
        }
        var peak = host.TreePeakRssMegabytes;
        Progress.Say($"host memory: RSS {host.RssMegabytes:0} MB now, peak with its child processes {peak:0} MB");

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
            .Decimal("ready_s", ready.TotalSeconds)
            .Decimal("catch_up_s", confirmations >= accepted ? lag.TotalSeconds : double.NaN, 1);
        return new BenchmarkResult(figures, failures);
    }

    /// <summary>Waits until <paramref name="expected"/> confirmations are out or <paramref name="deadline"/> passes; returns the count and the wait.</summary>
    private static async Task<(int Count, TimeSpan Waited)> WaitForConfirmationsAsync(Func<int> count, int expected, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        int now;
        while ((now = count()) < expected && waited.Elapsed < deadline)
        {
            await Task.Delay(100, cancellationToken);
        }
        // One more look after the deadline, and a moment for any duplicate to show up once all are out.
        if (now >= expected)
        {
            var caughtUp = waited.Elapsed;
            await Task.Delay(500, cancellationToken);
            return (count(), caughtUp);
        }
        return (count(), waited.Elapsed);
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
