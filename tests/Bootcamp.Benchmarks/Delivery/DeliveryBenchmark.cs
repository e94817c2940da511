using System.Diagnostics;
using Bootcamp.Benchmarks.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.Benchmarks.Delivery;

/// <summary>
/// Due lessons in PostgreSQL → the host's dispatcher, batch jobs, renderer and SMTP pool → the sink,
/// timed from the due rows' commit to the last message received; then raw MailKit to the same sink.
/// </summary>
internal static class DeliveryBenchmark
{
    private const int SmtpConnections = 4;

    public static async Task<BenchmarkResult> RunAsync(BenchmarkArguments arguments, CancellationToken cancellationToken)
    {
        var count = arguments.Int("lessons", 20_000);
        var failures = new List<string>();

        await using var database = await BenchmarkDatabase.CreateAsync("delivery");
        await using var sink = await SmtpSink.StartAsync();
        Progress.Say($"SMTP sink on 127.0.0.1:{sink.Port}");

        var seed = new DueLessonSeeder(database.ConnectionString, count);
        HostFigures hostFigures;
        await using (var host = HostProcess.Start(
        [
            "Storage:Provider=Postgres",
            $"ConnectionStrings:Postgres={database.ConnectionString}",
            "Smtp:Host=127.0.0.1",
            $"Smtp:Port={sink.Port}",
            "Smtp:Security=None",
            $"Smtp:MaxConnections={SmtpConnections}",
            "Campaign:PostalAddress=Bootcamp, 1 Example Street, Springfield 12345",
            "Delivery:DispatchInterval=00:00:00.200",
            "Jobs:QueuePollInterval=00:00:00.100",
            .. arguments.HostSettings,
        ]))
        {
            hostFigures = await MeasureHostAsync(host, database.ConnectionString, sink, seed, cancellationToken);
        }
        Progress.Say("host stopped");

        failures.AddRange(await DeliveryChecks.CheckRecordAsync(database.ConnectionString, seed, cancellationToken));
        var received = sink.Messages;
        failures.AddRange(DeliveryChecks.CheckReceived(received, seed));
        Progress.Say(failures.Count == 0
            ? $"checked: {count} due lessons recorded Sent, {seed.LastLessons} campaigns finished, {received.Count} messages, one per reader, no duplicate Message-ID"
            : $"checks found {failures.Count} problem(s)");

        var lesson = MedianSized(received);
        sink.Reset();
        var (rawPerSecond, rawFailures) = await RawMailKitRun.RunAsync(sink, lesson, count, SmtpConnections, cancellationToken);
        failures.AddRange(rawFailures);

        var figures = new Figures("delivery")
            .Whole("lessons", count)
            .Whole("lessons_per_s", hostFigures.LessonsPerSecond)
            .Whole("raw_mailkit_per_s", rawPerSecond)
            .Decimal("ratio", hostFigures.LessonsPerSecond / rawPerSecond)
            .Whole("peak_rss_mb", hostFigures.PeakRssMegabytes)
            .Decimal("ready_s", hostFigures.Ready.TotalSeconds);
        return new BenchmarkResult(figures, failures);
    }

    private sealed record HostFigures(double LessonsPerSecond, double PeakRssMegabytes, TimeSpan Ready);

    private static async Task<HostFigures> MeasureHostAsync(HostProcess host, string connectionString, SmtpSink sink, DueLessonSeeder seed, CancellationToken cancellationToken)
    {
        var ready = await host.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        Progress.Say($"host ready after {ready.TotalSeconds:0.00} s, RSS {host.RssMegabytes:0} MB, peak so far {host.PeakRssMegabytes:0} MB");
        await WarmUpAsync(host, connectionString, sink, seed.Count, cancellationToken);

        Progress.Say($"seeding {seed.Count} active enrollments with seven lessons each ({seed.HistoryLessons} sent, {seed.FutureLessons} for coming days)");
        await seed.SeedRecordAsync(cancellationToken);
        var meter = new CpuMeter(host, await CpuMeter.FindPostmasterAsync(connectionString, cancellationToken));
        var idleRss = host.RssMegabytes;

        Progress.Say($"committing {seed.Count} due lessons (days 1-7, {seed.LastLessons} of them a seventh); the clock starts at the commit");
        await seed.ReleaseDueLessonsAsync(cancellationToken);
        var sinceDue = Stopwatch.StartNew();
        var before = meter.Sample();
        TimeSpan elapsed;
        CpuSample after;
        double maxSendingRss;
        await using (var monitor = SendingMonitor.Start(host, sink, seed.Count))
        {
            // A generous limit: a host at 50 lessons/s still finishes, and its figure says what is wrong.
            var limit = TimeSpan.FromSeconds(60 + seed.Count / 50);
            try
            {
                await sink.WaitForAsync(m => m.Count >= seed.Count, limit).WaitAsync(cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new BenchmarkException($"only {sink.Messages.Count} of {seed.Count} lessons arrived within {limit.TotalSeconds:0} s of the commit. The host's last output:\n{host.RecentOutput()}");
            }
            elapsed = sinceDue.Elapsed;
            after = meter.Sample();
            maxSendingRss = monitor.MaxRssMegabytes;
        }
        var perSecond = seed.Count / elapsed.TotalSeconds;
        Progress.Say($"all {seed.Count} received {elapsed.TotalSeconds:0.00} s after the commit = {perSecond:0} lessons/s");
        Progress.Say(CpuMeter.Describe(before, after));

        var recorded = await DeliveryChecks.WaitUntilRecordedAsync(connectionString, seed, sinceDue, TimeSpan.FromSeconds(30), cancellationToken);
        Progress.Say(recorded is { } r ? $"all recorded Sent {r.TotalSeconds:0.00} s after the commit" : "not all due lessons were recorded Sent within 30 s");
        // Nothing is due any more: a duplicate (a batch run twice, a lost claim re-dispatched) would arrive now.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

        var peak = host.PeakRssMegabytes ?? double.NaN;
        Progress.Say($"host memory: RSS {idleRss:0} MB idle before sending, up to {maxSendingRss:0} MB while sending, peak (VmHWM) {peak:0} MB");
        return new HostFigures(perSecond, peak, ready);
    }

    /// <summary>
    /// A running server has sent lessons before the next zone's 08:00 arrives; a fresh process has not, and
    /// the first thousands of its sends pay for JIT compilation. Rounds of a tenth of the run's lessons, to
    /// other readers, go out first; their rows are then removed so that the measured run's checks see only
    /// its own.
    /// </summary>
    /// <remarks>
    /// Why several rounds with a pause between: the runtime starts counting a method's calls towards its
    /// optimised (tier-1) recompilation only once no new code has been compiled for 100 ms, which never
    /// happens while a cold host sends its first lessons. After one round, ~2,500 methods (the send path
    /// included) were recompiled inside the measured window: the runtime's tiering thread took a quarter of
    /// the host's CPU there (dotnet-trace, perf). After three, ~400 are left.
    /// </remarks>
    private static async Task WarmUpAsync(HostProcess host, string connectionString, SmtpSink sink, int measured, CancellationToken cancellationToken)
    {
        for (var round = 1; round <= WarmUpRounds; round++)
        {
            if (round > 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            await WarmUpRoundAsync(host, connectionString, sink, measured, round, cancellationToken);
        }
    }

    private const int WarmUpRounds = 3;

    private static async Task WarmUpRoundAsync(HostProcess host, string connectionString, SmtpSink sink, int measured, int round, CancellationToken cancellationToken)
    {
        var warmUp = new DueLessonSeeder(connectionString, Math.Max(100, measured / 10), firstId: measured + 1);
        await warmUp.SeedRecordAsync(cancellationToken);
        await warmUp.ReleaseDueLessonsAsync(cancellationToken);
        var started = Stopwatch.StartNew();
        try
        {
            await sink.WaitForAsync(m => m.Count >= warmUp.Count, TimeSpan.FromSeconds(60 + warmUp.Count / 50)).WaitAsync(cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new BenchmarkException($"warm-up: only {sink.Messages.Count} of {warmUp.Count} lessons arrived. The host's last output:\n{host.RecentOutput()}");
        }
        Progress.Say($"warm-up {round}/{WarmUpRounds}: {warmUp.Count} lessons to other readers in {started.Elapsed.TotalSeconds:0.00} s = {warmUp.Count / started.Elapsed.TotalSeconds:0}/s");
        await DeliveryChecks.WaitUntilRecordedAsync(connectionString, warmUp, started, TimeSpan.FromSeconds(30), cancellationToken);
        await warmUp.DeleteAsync(cancellationToken);
        sink.Reset();
    }

    // The lesson raw MailKit copies: a typical one, neither the smallest nor the largest rendered.
    private static byte[] MedianSized(IReadOnlyList<ReceivedMail> received)
    {
        if (received.Count == 0)
        {
            throw new BenchmarkException("No lesson was received to model the raw MailKit messages on.");
        }
        return received.OrderBy(m => m.Raw.Length).ElementAt(received.Count / 2).Raw.ToArray();
    }
}
