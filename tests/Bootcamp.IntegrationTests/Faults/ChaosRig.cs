using System.Diagnostics;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Bootcamp.IntegrationTests.Faults;

/// <summary>
/// A chaos test's world: the real host as its own processes (started from the build output, killed with SIGKILL),
/// a real PostgreSQL, the SMTP sink on loopback, and a burst of 2,002 lessons (286 readers × 7, one course day of
/// a few seconds apart). It records when each fault began and when the service was back, and checks what every
/// reader got: each lesson, under one Message-ID, in order, within a minute of the service being back.
/// </summary>
internal sealed class ChaosRig : IAsyncDisposable
{
    /// <summary>
    /// The chaos tests run one after another (beside the other test classes): each starts and kills whole host
    /// processes, and several at once on two cores would measure the machine, not the recovery.
    /// </summary>
    public const string Collection = "Chaos";

    public const int Readers = 286;
    public const int Lessons = Readers * 7;
    public static readonly TimeSpan DayLength = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(60);

    // A crash resends at most the chunk each sender had in flight (LessonBatchJob.ChunkSize), under the same
    // Message-ID; a process runs two senders per SMTP connection.
    private const int MaxConnections = 2;
    private const int ResendsPerFaultAtMost = 2 * MaxConnections * 20;

    private readonly List<HostProcess> _hosts = [];
    private readonly List<Fault> _faults = [];
    private readonly ITestOutputHelper _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private DateTimeOffset _firstDue;

    private ChaosRig(SmtpSink sink, string connectionString, ITestOutputHelper output)
    {
        Sink = sink;
        ConnectionString = connectionString;
        _output = output;
    }

    public SmtpSink Sink { get; }

    public string ConnectionString { get; }

    public static async Task<ChaosRig> StartAsync(string connectionString, ITestOutputHelper output) =>
        new(await SmtpSink.StartAsync(), connectionString, output);

    /// <summary>Another host process on the same database and SMTP server, ready to serve; its name says which in the test's output.</summary>
    public async Task<HostProcess> StartHostAsync()
    {
        var host = HostProcess.Start([
            "Storage:Provider=Postgres", $"ConnectionStrings:Postgres={ConnectionString}",
            "Smtp:Host=127.0.0.1", $"Smtp:Port={Sink.Port}", "Smtp:Security=None", $"Smtp:MaxConnections={MaxConnections}",
            $"Campaign:DayLength={DayLength:c}", "Campaign:PostalAddress=1 Test Street, Testville", "Campaign:FinishedNote=false",
            // Claiming every second rather than every five: the course's days are three seconds long.
            "Delivery:DispatchInterval=00:00:01",
        ]);
        _hosts.Add(host);
        // Start-up compiles the templates in a child process: long on a machine busy with other tests.
        var ready = await host.WaitReadyAsync(TimeSpan.FromSeconds(180), CancellationToken.None);
        Say($"host {host.Pid} ready after {ready.TotalSeconds:0.0} s");
        return host;
    }

    /// <summary>SIGKILL: no shutdown, no heartbeat removed, claims and connections left as they were.</summary>
    public async Task KillAsync(HostProcess host)
    {
        await host.DisposeAsync();
        Say($"host {host.Pid} killed with {SentLessons()} lessons received");
    }

    /// <summary>Writes the readers and their lessons, the first ones due now.</summary>
    public async Task SeedAsync()
    {
        _firstDue = DateTimeOffset.UtcNow;
        await ChaosCourses.SeedAsync(ConnectionString, Readers, _firstDue.UtcDateTime, DayLength);
        Say($"{Lessons} lessons seeded");
    }

    /// <summary>Waits until the sink has received at least <paramref name="count"/> lessons: a point in the middle of the burst.</summary>
    public Task WaitForLessonsAsync(int count) =>
        Sink.WaitForAsync(all => all.Count(IsChaosMail) >= count, TimeSpan.FromSeconds(120));

    /// <summary>From <paramref name="start"/> until now the service was down (or impaired); it is back from now on.</summary>
    public void FaultEnded(string what, DateTimeOffset start)
    {
        var fault = new Fault(what, start, DateTimeOffset.UtcNow);
        _faults.Add(fault);
        Say($"{what}: {(fault.End - fault.Start).TotalSeconds:0.0} s, {SentLessons()} lessons received");
    }

    /// <summary>
    /// Waits for every lesson (or for the last moment any could still be on time), then checks each reader's
    /// mail: all seven lessons, one Message-ID each, in order, none later than a minute after the service was
    /// back (or after its due time, if that came later).
    /// </summary>
    public async Task AssertEveryLessonOnceInOrderAndOnTimeAsync()
    {
        var lastDue = _firstDue + DayLength * 6;
        var lastBack = _faults.Count == 0 ? lastDue : _faults.Max(f => f.End);
        var giveUpAt = (lastDue > lastBack ? lastDue : lastBack) + RecoveryLimit + TimeSpan.FromSeconds(5);
        var arrivals = Arrivals();
        while (arrivals.Select(a => (a.Reader, a.Day)).Distinct().Count() < Lessons && DateTimeOffset.UtcNow < giveUpAt)
        {
            await Task.Delay(250);
            arrivals = Arrivals();
        }
        Say($"all in after {_clock.Elapsed.TotalSeconds:0.0} s");

        var byLesson = arrivals.GroupBy(a => (a.Reader, a.Day)).ToDictionary(g => g.Key, g => g.ToList());
        var missing = (from n in Enumerable.Range(1, Readers) from day in Enumerable.Range(1, 7)
                       where !byLesson.ContainsKey((ChaosCourses.Reader(n), day)) select $"{ChaosCourses.Reader(n)} day {day}").ToList();
        var twoIds = byLesson.Where(l => l.Value.Select(a => a.MessageId).Distinct().Count() > 1)
            .Select(l => $"{l.Key.Reader} day {l.Key.Day}: {string.Join(", ", l.Value.Select(a => a.MessageId).Distinct())}").ToList();
        var outOfOrder = arrivals.GroupBy(a => a.Reader)
            .Select(r => (Reader: r.Key, Days: r.GroupBy(a => a.Day).OrderBy(d => d.Min(a => a.At)).Select(d => d.Key).ToList()))
            .Where(r => !r.Days.SequenceEqual(Enumerable.Range(1, r.Days.Count)))
            .Select(r => $"{r.Reader}: {string.Join(",", r.Days)}").ToList();
        var lateness = byLesson.Select(l => (Lesson: l.Key, Late: Lateness(l.Key.Day, l.Value.Min(a => a.At)))).OrderByDescending(l => l.Late).ToList();
        var late = lateness.Where(l => l.Late > RecoveryLimit).Select(l => $"{l.Lesson.Reader} day {l.Lesson.Day}: {l.Late.TotalSeconds:0.0} s").ToList();
        var resends = arrivals.Count - byLesson.Count;

        Say($"{arrivals.Count} lessons received for {byLesson.Count} of {Lessons}; {resends} resent under their Message-ID; "
            + $"latest {(lateness.Count > 0 ? lateness[0].Late.TotalSeconds : 0):0.0} s after it could first go");
        var story = Story();
        Assert.True(missing.Count == 0, $"{missing.Count} lessons never arrived, e.g. {string.Join("; ", missing.Take(10))}\n{story}");
        Assert.True(twoIds.Count == 0, $"{twoIds.Count} lessons arrived under two Message-IDs, e.g. {string.Join("; ", twoIds.Take(10))}\n{story}");
        Assert.True(outOfOrder.Count == 0, $"{outOfOrder.Count} readers got lessons out of order, e.g. {string.Join("; ", outOfOrder.Take(10))}\n{story}");
        Assert.True(late.Count == 0, $"{late.Count} lessons arrived more than {RecoveryLimit.TotalSeconds:0} s after the service was back, e.g. {string.Join("; ", late.Take(10))}\n{story}");
        Assert.True(resends <= ResendsPerFaultAtMost * Math.Max(1, _faults.Count), $"{resends} lessons resent: more than the chunks in flight\n{story}");
    }

    /// <summary>How many distinct processes claimed the lessons that were sent: 2 when two workers shared the burst.</summary>
    public async Task<int> SendersAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(DISTINCT claimed_by) FROM lessons WHERE state = 'Sent'", connection);
        return Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
        await Sink.DisposeAsync();
    }

    /// <summary>From when the lesson could first go (its due time, or the end of a fault that was on when it arrived) to its arrival.</summary>
    private TimeSpan Lateness(int day, DateTimeOffset arrived)
    {
        var couldGo = _firstDue + DayLength * (day - 1);
        foreach (var fault in _faults.Where(f => f.Start <= arrived && f.End > couldGo))
        {
            couldGo = fault.End;
        }
        return arrived - couldGo;
    }

    private int SentLessons() => Sink.Messages.Count(IsChaosMail);

    private List<Arrival> Arrivals() =>
        [.. Sink.Messages.Where(IsChaosMail).Select(m => new Arrival(m.Recipients[0], m.Day(), m.Message.MessageId ?? "(none)", m.ReceivedAt))];

    private static bool IsChaosMail(ReceivedMail mail) =>
        mail.Recipients.Count == 1 && mail.Recipients[0].EndsWith("@" + ChaosCourses.Domain, StringComparison.OrdinalIgnoreCase);

    private string Story() =>
        string.Join('\n', _faults.Select(f => $"{f.What}: {f.Start:HH:mm:ss.fff}–{f.End:HH:mm:ss.fff}"))
        + $"\nfirst due {_firstDue:HH:mm:ss.fff}\n"
        + string.Join('\n', _hosts.Select(h => $"--- host {h.Pid} ---\n{h.RecentOutput()}"));

    private void Say(string line) => _output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0}s] {line}");

    private sealed record Fault(string What, DateTimeOffset Start, DateTimeOffset End);

    private sealed record Arrival(string Reader, int Day, string MessageId, DateTimeOffset At);
}
