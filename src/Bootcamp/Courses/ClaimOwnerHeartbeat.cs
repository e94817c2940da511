using System.Data.Common;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Courses;

/// <summary>
/// Writes this process's heartbeat every few seconds, the first before anything is claimed; on a normal stop
/// removes it, so what the process still holds is taken over at once. Forgets owners silent for a day.
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
            await db.Workers.Where(w => w.Id == owner.Id).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or OperationCanceledException)
        {
            // The database is away: the heartbeat simply stops, and the claims are taken over after DeadAfter.
            logger.LogDebug("Could not remove this process's heartbeat: {Message}", e.Message);
        }
    }

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
            var forgotten = now - TimeSpan.FromDays(1);
            await db.Workers.Where(w => w.HeartbeatAt < forgotten).ExecuteDeleteAsync(cancellationToken);
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
