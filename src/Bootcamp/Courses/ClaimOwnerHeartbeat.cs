using System.Data.Common;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Courses;

/// <summary>
/// Writes this process's heartbeat every few seconds, the first before anything is claimed; on a normal stop
/// dates it back past <see cref="ClaimOwner.DeadAfter"/>, so what the process still holds is taken over at once.
/// Forgets gone owners once nothing they claimed is left, and any owner silent for a day.
/// </summary>
public sealed class ClaimOwnerHeartbeat(ClaimOwner owner, IServiceScopeFactory scopes, TimeProvider time, ILogger<ClaimOwnerHeartbeat> logger) : BackgroundService
{
    private bool _failing;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await BeatAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ClaimOwner.HeartbeatInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await BeatAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BootcampDb>();
            // Dated back, not removed: takers find gone owners among the rows of workers (Claims.OwnerGone).
            var gone = time.GetUtcNow().UtcDateTime - ClaimOwner.DeadAfter - TimeSpan.FromSeconds(1);
            await db.Workers.Where(w => w.Id == owner.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.HeartbeatAt, gone), cancellationToken);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or OperationCanceledException)
        {
            // The database is away: the heartbeat simply stops, and the claims are taken over after DeadAfter.
            logger.LogDebug("Could not remove this process's heartbeat: {Message}", e.Message);
        }
    }

    // A gone owner stays on record while it holds claims, so that they are taken over (and a take-over reads
    // every claim only while one is gone); after a day the lease has freed whatever is left.
    private const string ForgetGoneOwners = """
        DELETE FROM workers
        WHERE heartbeat_at < @forgotten
           OR (heartbeat_at < @gone
               AND NOT EXISTS (SELECT 1 FROM lessons AS l WHERE l.state IN ('Claimed', 'Sending') AND l.claimed_at IS NOT NULL AND l.claimed_by = workers.id)
               AND NOT EXISTS (SELECT 1 FROM enrollments AS e WHERE e.finished_note_state IN ('Claimed', 'Sending') AND e.finished_note_claimed_at IS NOT NULL AND e.finished_note_claimed_by = workers.id)
               AND NOT EXISTS (SELECT 1 FROM webhook_deliveries AS d WHERE d.state = 'Claimed' AND d.claimed_at IS NOT NULL AND d.claimed_by = workers.id))
        """;

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BootcampDb>();
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO workers (id, started_at, heartbeat_at) VALUES (@id, @now, @now) ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
                [db.Parameter("id", owner.Id), db.Parameter("now", now)], cancellationToken);
            await db.Database.ExecuteSqlRawAsync(ForgetGoneOwners, [db.Parameter("gone", now - ClaimOwner.DeadAfter), db.Parameter("forgotten", now - TimeSpan.FromDays(1))], cancellationToken);
            if (_failing)
            {
                _failing = false;
                logger.LogInformation("Heartbeat written again");
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            // Once per outage, not every few seconds.
            if (!_failing)
            {
                _failing = true;
                logger.LogWarning("Heartbeat not written: {Message}", e.Message);
            }
        }
    }
}
