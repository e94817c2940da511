using System.Threading.Channels;
using Bootcamp.Domain;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Tracking;

/// <summary>
/// The pixel answers without touching the database: opens are queued in memory and written in
/// batches (a few hundred rows per statement) every <see cref="FlushInterval"/>. Only the first open of
/// each kind per lesson matters, so a batch collapses repeats. A crash can lose at most the opens of
/// the last interval that were already answered; a normal shutdown writes them all. While the database is
/// unreachable the batch in hand (at most <see cref="MaxBatch"/> lessons) is kept and tried every second, and new
/// opens wait in the bounded queue; once that is full the pixel waits for room, as it does behind a slow database.
/// </summary>
public sealed class OpenRecorder(IServiceScopeFactory scopes, DatabaseOutage outage, TimeProvider time, ILogger<OpenRecorder> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);
    private const int MaxBatch = 5_000;

    private readonly Channel<(long LessonId, OpenKind Kind)> _queue = Channel.CreateBounded<(long, OpenKind)>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    /// <summary>Queues an open unless the queue is full (the writer is far behind: the database is down or slow); then <see cref="RecordAsync"/> waits for room.</summary>
    public bool TryRecord(long lessonId, OpenKind kind) => _queue.Writer.TryWrite((lessonId, kind));

    /// <summary>Queues an open; waits only when the writer is far behind.</summary>
    public ValueTask RecordAsync(long lessonId, OpenKind kind, CancellationToken cancellationToken) =>
        TryRecord(lessonId, kind) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync((lessonId, kind), cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var human = new HashSet<long>();
        var machine = new HashSet<long>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(FlushInterval, time, stoppingToken);
                while (!await FlushAsync(human, machine, CancellationToken.None))
                {
                    await Task.Delay(RetryInterval, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is queued is written below.
        }
        _queue.Writer.TryComplete();
        if (!await FlushAsync(human, machine, CancellationToken.None))
        {
            logger.LogWarning("Stopping while the database is unreachable: {Count} opens are not recorded", human.Count + machine.Count + _queue.Reader.Count);
        }
    }

    /// <summary>
    /// Writes everything queued. False when the database is unreachable: the batch in hand stays in
    /// <paramref name="human"/> and <paramref name="machine"/> for the next try (writing an open twice changes nothing).
    /// </summary>
    private async Task<bool> FlushAsync(HashSet<long> human, HashSet<long> machine, CancellationToken cancellationToken)
    {
        while (true)
        {
            while (human.Count + machine.Count < MaxBatch && _queue.Reader.TryRead(out var open))
            {
                (open.Kind == OpenKind.Human ? human : machine).Add(open.LessonId);
            }
            if (human.Count + machine.Count == 0)
            {
                return true;
            }
            try
            {
                await WriteAsync(human, machine, cancellationToken);
            }
            catch (Exception e) when (outage.Noted(e))
            {
                return false;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
            {
                logger.LogWarning(e, "Could not record {Count} opens; they are dropped", human.Count + machine.Count);
            }
            human.Clear();
            machine.Clear();
        }
    }

    private async Task WriteAsync(HashSet<long> human, HashSet<long> machine, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BootcampDb>();
        if (human.Count > 0)
        {
            var ids = human.ToArray();
            await db.Lessons.Where(l => ids.Contains(l.Id) && l.OpenedAt == null && !l.Enrollment!.NoTracking && l.Enrollment.EmailKey != "")
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.OpenedAt, now), cancellationToken);
        }
        if (machine.Count > 0)
        {
            var ids = machine.ToArray();
            await db.Lessons.Where(l => ids.Contains(l.Id) && l.MachineOpenedAt == null && !l.Enrollment!.NoTracking && l.Enrollment.EmailKey != "")
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.MachineOpenedAt, now), cancellationToken);
        }
    }
}
