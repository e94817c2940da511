using System.Diagnostics;
using Bootcamp.Benchmarks.Delivery;
using Bootcamp.Benchmarks.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.Benchmarks.Burst;

/// <summary>
/// A zone's 08:00: every reader of a large course in one time zone falls due at the same instant. One web
/// process (no job server) and worker processes against one durable PostgreSQL and one SMTP sink, timed
/// from that instant to the last message; every lesson must arrive once, and every worker must take a share.
/// </summary>
internal static class BurstBenchmark
{
    private const string Zone = "Europe/Paris";

    // Below this share of the lessons a worker counts as idle: two workers that split the work share it
    // roughly evenly, one that only picked up leftovers does not.
    private const double IdleShare = 0.10;

    // The instant lies this far after the due rows' COPY begins: 100,000 rows commit within it even on busy cores.
    private static readonly TimeSpan LeadTime = TimeSpan.FromSeconds(15);

    public static async Task<BenchmarkResult> RunAsync(BenchmarkArguments arguments, CancellationToken cancellationToken)
    {
        var count = arguments.Int("lessons", 100_000);
        var workerCount = arguments.Int("workers", 2);
        var failures = new List<string>();

        await using var database = await BurstDatabase.CreateAsync();
        await using var sink = await SmtpSink.StartAsync();
        Progress.Say($"SMTP sink on 127.0.0.1:{sink.Port}");
        string[] common =
        [
            "Storage:Provider=Postgres",
            $"ConnectionStrings:Postgres={database.ConnectionString}",
            "Smtp:Host=127.0.0.1",
            $"Smtp:Port={sink.Port}",
            "Smtp:Security=None",
            "Campaign:PostalAddress=Bootcamp, 1 Example Street, Springfield 12345",
            // As the delivery benchmark (see the README): lessons out within a second of the instant.
            "Delivery:DispatchInterval=00:00:00.200",
            "Jobs:QueuePollInterval=00:00:00.100",
        ];

        var processes = new List<HostProcess>();
        try
        {
            // The web process first: it prepares the schema; then the workers, which only pick up work.
            var web = HostProcess.Start([.. common, "Jobs:Worker=false", .. arguments.HostSettings], "web");
            processes.Add(web);
            await web.WaitReadyAsync(TimeSpan.FromSeconds(90), cancellationToken);
            var workers = Enumerable.Range(1, workerCount)
                .Select(i => HostProcess.Start([.. common, "Jobs:Worker=true", .. arguments.HostSettings], $"worker{i}"))
                .ToList();
            processes.AddRange(workers);
            foreach (var worker in workers)
            {
                await worker.WaitReadyAsync(TimeSpan.FromSeconds(90), cancellationToken);
            }
            Progress.Say($"ready: web (pid {web.Pid}, Jobs:Worker=false), {string.Join(", ", workers.Select(w => $"{w.Name} (pid {w.Pid})"))}");

            // A running service has sent lessons before the zone's 08:00 comes; a fresh one would pay for its JIT here.
            await DeliveryBenchmark.WarmUpAsync(workers[0], database.ConnectionString, sink, Math.Max(100, count / 20), cancellationToken);

            var seed = new DueLessonSeeder(database.ConnectionString, count, timeZone: Zone);
            Progress.Say($"seeding {count} active enrollments in {Zone}, seven lessons each ({seed.HistoryLessons} sent, {seed.FutureLessons} for coming days)");
            var seeding = Stopwatch.StartNew();
            await seed.SeedRecordAsync(cancellationToken);
            Progress.Say($"seeded in {seeding.Elapsed.TotalSeconds:0.0} s");

            var instant = DateTime.UtcNow + LeadTime;
            await seed.ReleaseDueLessonsAsync(cancellationToken, instant);
            var committed = DateTime.UtcNow;
            // The clock starts at the instant, or at the commit if that came later: nothing is visible before it.
            Progress.Say(committed <= instant
                ? $"{count} lessons committed, all due at {instant:HH:mm:ss.fff} UTC ({(instant - committed).TotalSeconds:0.0} s after the commit); the clock starts then"
                : $"{count} lessons committed {(committed - instant).TotalSeconds:0.0} s after their due instant {instant:HH:mm:ss.fff} UTC; the clock starts at the commit");
            await Task.Delay(instant - DateTime.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, cancellationToken);

            var attribution = new SenderAttribution(sink.Port, [.. processes.Select(p => p.Pid)]);
            var meter = new CpuMeter(workers[0], await CpuMeter.FindPostmasterAsync(database.ConnectionString, cancellationToken));
            var machineBefore = meter.Sample();
            var walBefore = await WalAsync(database.ConnectionString, cancellationToken);
            var cpuBefore = processes.Select(p => p.CpuTime).ToArray();
            var clock = Stopwatch.StartNew();
            var elapsed = await WaitForAllAsync(sink, count, attribution, clock, processes, cancellationToken);
            var cpuAfter = processes.Select(p => p.CpuTime).ToArray();
            var machineAfter = meter.Sample();
            var walAfter = await WalAsync(database.ConnectionString, cancellationToken);
            var perSecond = count / elapsed.TotalSeconds;
            Progress.Say($"all {count} received {elapsed.TotalSeconds:0.00} s after the instant = {perSecond:0} lessons/s (goal: within 30 s)");
            var hostCpu = processes.Select((p, i) => cpuAfter[i] - cpuBefore[i]).ToArray();
            var postgresCpu = machineAfter.Postgres - machineBefore.Postgres;
            Progress.Say("CPU over the burst: " + string.Join(", ", processes.Select((p, i) => $"{p.Name} {hostCpu[i].TotalSeconds:0.0} s"))
                + $", PostgreSQL {postgresCpu?.TotalSeconds:0.0} s, the machine {(machineAfter.Machine - machineBefore.Machine).TotalSeconds:0.0} of {elapsed.TotalSeconds * Environment.ProcessorCount:0.0} core-s; "
                + $"per lesson: hosts {hostCpu.Sum(c => c.TotalMicroseconds) / count:0} µs, PostgreSQL {postgresCpu?.TotalMicroseconds / count:0} µs");
            Progress.Say($"WAL over the burst: {(walAfter.Bytes - walBefore.Bytes) / 1048576.0:0} MB ({(walAfter.Bytes - walBefore.Bytes) / (double)count:0} bytes per lesson), "
                + $"{walAfter.Syncs - walBefore.Syncs} WAL flushes to disk ({(walAfter.Syncs - walBefore.Syncs) / (double)count * 1000:0.0} per 1,000 lessons)");

            var recorded = await DeliveryChecks.WaitUntilRecordedAsync(database.ConnectionString, seed, clock, TimeSpan.FromSeconds(60), cancellationToken);
            Progress.Say(recorded is { } r ? $"all recorded Sent {r.TotalSeconds:0.00} s after the instant" : "not all due lessons were recorded Sent within 60 s");
            // Nothing is due any more: a duplicate (a batch run twice, a claim taken over by the other worker) would arrive now.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            attribution.Sample();

            var received = sink.Messages;
            failures.AddRange(await DeliveryChecks.CheckRecordAsync(database.ConnectionString, seed, cancellationToken));
            failures.AddRange(DeliveryChecks.CheckReceived(received, seed));
            var shares = Shares(received, attribution, workers, failures);

            var memory = processes.Select(p => p.TreePeakRssMegabytes).ToArray();
            foreach (var (process, peak) in processes.Zip(memory))
            {
                Progress.Say($"{process.Name}: peak {peak:0} MB with its child processes ({process.DescribeChildren()}), RSS now {process.RssMegabytes:0} MB");
            }
            Progress.Say(failures.Count == 0
                ? $"checked: {count} due lessons recorded Sent, {received.Count} messages, one per reader, no duplicate Message-ID, every worker took a share"
                : $"checks found {failures.Count} problem(s)");

            var figures = new Figures("burst")
                .Whole("lessons", count)
                .Decimal("seconds", elapsed.TotalSeconds)
                .Whole("lessons_per_s", perSecond)
                .Whole("processes", processes.Count)
                .Whole("peak_rss_mb", memory.Sum());
            foreach (var (process, peak) in processes.Zip(memory))
            {
                figures.Whole($"{process.Name}_rss_mb", peak);
            }
            foreach (var (worker, share) in workers.Zip(shares))
            {
                figures.Decimal($"{worker.Name}_share", share);
            }
            return new BenchmarkResult(figures, failures);
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    // pg_stat_wal (PostgreSQL 14+): bytes written to the WAL and the flushes a durable commit waits for.
    private static async Task<(long Bytes, long Syncs)> WalAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("SELECT wal_bytes::bigint, wal_sync FROM pg_stat_wal", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<TimeSpan> WaitForAllAsync(
        SmtpSink sink, int count, SenderAttribution attribution, Stopwatch clock, List<HostProcess> processes, CancellationToken cancellationToken)
    {
        // A generous limit: a service at 100 lessons/s still finishes, and its figure says what is wrong.
        var limit = TimeSpan.FromSeconds(60 + count / 100);
        var done = sink.WaitForAsync(m => m.Count >= count, limit);
        var lastCount = 0;
        var ticks = 0;
        while (!done.IsCompleted)
        {
            // Connections are sampled five times a second, so one closed early is still attributed.
            attribution.Sample();
            await Task.WhenAny(done, Task.Delay(200, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            if (++ticks % 5 == 0 && !done.IsCompleted)
            {
                var now = sink.Messages.Count;
                Progress.Say($"received {now}/{count} (+{now - lastCount} in the last second); RSS {string.Join(", ", processes.Select(p => $"{p.Name} {p.RssMegabytes:0} MB"))}");
                lastCount = now;
            }
        }
        try
        {
            await done;
        }
        catch (TimeoutException)
        {
            throw new BenchmarkException($"only {sink.Messages.Count} of {count} lessons arrived within {limit.TotalSeconds:0} s of the instant. The last worker's output:\n{processes[^1].RecentOutput()}");
        }
        var elapsed = clock.Elapsed;
        attribution.Sample();
        return elapsed;
    }

    /// <summary>Each worker's share of the messages, by the process that held the client's port; a worker below <see cref="IdleShare"/> fails the run.</summary>
    private static double[] Shares(IReadOnlyList<ReceivedMail> received, SenderAttribution attribution, List<HostProcess> workers, List<string> failures)
    {
        var byProcess = received.GroupBy(m => attribution.ProcessOf(m.ClientPort)).ToDictionary(g => g.Key ?? 0, g => g.Count());
        var shares = workers.Select(w => byProcess.GetValueOrDefault(w.Pid) / (double)Math.Max(1, received.Count)).ToArray();
        var unattributed = byProcess.GetValueOrDefault(0);
        var others = byProcess.Where(p => p.Key != 0 && workers.All(w => w.Pid != p.Key)).Sum(p => p.Value);
        Progress.Say("shares: " + string.Join(", ", workers.Zip(shares).Select(w => $"{w.First.Name} {byProcess.GetValueOrDefault(w.First.Pid)} ({w.Second:P0})"))
            + $", web process {others}, not attributed {unattributed}");
        foreach (var (worker, share) in workers.Zip(shares))
        {
            if (share < IdleShare)
            {
                failures.Add($"{worker.Name} sent {share:P1} of the lessons: it idled while the other worker(s) did the burst");
            }
        }
        if (others > 0)
        {
            failures.Add($"the web process (Jobs:Worker=false) sent {others} lessons");
        }
        return shares;
    }
}
