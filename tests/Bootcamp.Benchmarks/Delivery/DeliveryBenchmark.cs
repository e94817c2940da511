using System.Diagnostics;
using Bootcamp.Benchmarks.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.Benchmarks.Delivery;

/// <summary>
/// Due lessons in PostgreSQL → the host's dispatcher, batch jobs, renderer and SMTP pool → the sink,
/// timed from the due rows' commit to the last message received; beside raw MailKit and Postfix's smtp-source
/// sending the same lesson to the same sink, before and after it.
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
        var raw = new List<double>();
        var ceiling = new List<double>();
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
            var ready = await host.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
            Progress.Say($"host ready after {ready.TotalSeconds:0.00} s, RSS {host.RssMegabytes:0} MB, peak so far {host.PeakRssMegabytes:0} MB; child processes: {host.DescribeChildren()}");
            var (cold, lesson) = await WarmUpAsync(host, database.ConnectionString, sink, Math.Max(100, count / 10), cancellationToken);

            // The yardsticks run before and after the host's measured run, with the host idle beside them, so
            // a neighbour's burst on the shared cores weighs on each side alike; each keeps its better run.
            var rawRun = RawMailKitRun.Prepare(lesson, count);
            using var ceilingRun = SmtpCeilingRun.Installed ? SmtpCeilingRun.Prepare(lesson) : null;
            Progress.Say($"yardsticks: a received lesson of {lesson.Raw.Length} bytes, {count} copies, {SmtpConnections} connections");
            await RunYardsticksAsync("before", rawRun, ceilingRun, sink, count, raw, ceiling, failures, cancellationToken);
            hostFigures = await MeasureHostAsync(host, database.ConnectionString, sink, seed, cancellationToken) with { Cold = cold, Ready = ready };

            failures.AddRange(await DeliveryChecks.CheckRecordAsync(database.ConnectionString, seed, cancellationToken));
            var received = sink.Messages;
            failures.AddRange(DeliveryChecks.CheckReceived(received, seed));
            Progress.Say(failures.Count == 0
                ? $"checked: {count} due lessons recorded Sent, {seed.LastLessons} campaigns finished, {received.Count} messages, one per reader, no duplicate Message-ID"
                : $"checks found {failures.Count} problem(s)");
            sink.Reset();
            await RunYardsticksAsync("after", rawRun, ceilingRun, sink, count, raw, ceiling, failures, cancellationToken);
        }
        Progress.Say("host stopped");
        if (!SmtpCeilingRun.Installed)
        {
            failures.Add($"no smtp_ceiling_per_s: {SmtpCeilingRun.Program} is missing (Debian package postfix; .ci/test installs it)");
        }

        var rawPerSecond = raw.Max();
        var ceilingPerSecond = ceiling.Count > 0 ? ceiling.Max() : double.NaN;
        var figures = new Figures("delivery")
            .Whole("lessons", count)
            .Whole("lessons_per_s", hostFigures.LessonsPerSecond)
            .Whole("raw_mailkit_per_s", rawPerSecond)
            .Decimal("ratio", hostFigures.LessonsPerSecond / rawPerSecond)
            .Whole("smtp_ceiling_per_s", ceilingPerSecond)
            .Decimal("ceiling_ratio", hostFigures.LessonsPerSecond / ceilingPerSecond)
            .Whole("cold_lessons_per_s", hostFigures.Cold)
            .Whole("peak_rss_mb", hostFigures.PeakRssMegabytes)
            .Decimal("ready_s", hostFigures.Ready.TotalSeconds);
        return new BenchmarkResult(figures, failures);
    }

    private static async Task RunYardsticksAsync(
        string label, RawMailKitRun rawRun, SmtpCeilingRun? ceilingRun, SmtpSink sink, int count,
        List<double> raw, List<double> ceiling, List<string> failures, CancellationToken cancellationToken)
    {
        raw.Add(await rawRun.RunAsync(sink, SmtpConnections, label, failures, cancellationToken));
        if (ceilingRun is not null)
        {
            ceiling.Add(await ceilingRun.RunAsync(sink, count, SmtpConnections, label, failures, cancellationToken));
        }
    }

    private sealed record HostFigures(double LessonsPerSecond, double PeakRssMegabytes, TimeSpan Ready, double Cold);

    private static async Task<HostFigures> MeasureHostAsync(HostProcess host, string connectionString, SmtpSink sink, DueLessonSeeder seed, CancellationToken cancellationToken)
    {
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

        var peak = host.TreePeakRssMegabytes;
        Progress.Say($"host memory: RSS {idleRss:0} MB idle before sending, up to {maxSendingRss:0} MB while sending, its own peak (VmHWM) {host.PeakRssMegabytes:0} MB; "
            + $"with every process it started, at most {peak:0} MB at once; child processes: {host.DescribeChildren()}");
        return new HostFigures(perSecond, peak, TimeSpan.Zero, 0);
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
    /// <returns>The first round's rate (a fresh host: <c>cold_lessons_per_s</c>) and a median-sized lesson of the last round, for the yardsticks.</returns>
    internal static async Task<(double Cold, ReceivedMail Lesson)> WarmUpAsync(HostProcess host, string connectionString, SmtpSink sink, int lessonsPerRound, CancellationToken cancellationToken)
    {
        var cold = 0.0;
        ReceivedMail? lesson = null;
        for (var round = 1; round <= WarmUpRounds; round++)
        {
            if (round > 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            var (rate, median) = await WarmUpRoundAsync(host, connectionString, sink, lessonsPerRound, round, cancellationToken);
            cold = round == 1 ? rate : cold;
            lesson = median;
        }
        return (cold, lesson!);
    }

    private const int WarmUpRounds = 3;

    private const long WarmUpFirstId = 100_000_000;

    private static async Task<(double PerSecond, ReceivedMail Median)> WarmUpRoundAsync(HostProcess host, string connectionString, SmtpSink sink, int lessons, int round, CancellationToken cancellationToken)
    {
        // Ids above any run's own readers; the rows are deleted after the round.
        var warmUp = new DueLessonSeeder(connectionString, lessons, firstId: WarmUpFirstId);
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
        var perSecond = warmUp.Count / started.Elapsed.TotalSeconds;
        Progress.Say($"warm-up {round}/{WarmUpRounds}: {warmUp.Count} lessons to other readers in {started.Elapsed.TotalSeconds:0.00} s = {perSecond:0}/s{(round == 1 ? " (a fresh host: cold_lessons_per_s)" : "")}");
        var median = MedianSized(sink.Messages);
        await DeliveryChecks.WaitUntilRecordedAsync(connectionString, warmUp, started, TimeSpan.FromSeconds(30), cancellationToken);
        await warmUp.DeleteAsync(cancellationToken);
        sink.Reset();
        return (perSecond, median);
    }

    // The lesson the yardsticks copy: a typical one, neither the smallest nor the largest rendered.
    private static ReceivedMail MedianSized(IReadOnlyList<ReceivedMail> received)
    {
        if (received.Count == 0)
        {
            throw new BenchmarkException("No lesson was received to model the yardsticks' messages on.");
        }
        return received.OrderBy(m => m.Raw.Length).ElementAt(received.Count / 2);
    }
}
