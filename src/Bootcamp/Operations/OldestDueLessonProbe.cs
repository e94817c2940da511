using Bootcamp.Courses;
using Bootcamp.Persistence;

namespace Bootcamp.Operations;

/// <summary>
/// Reads the oldest due lesson's age into <see cref="BootcampMetrics"/> every few seconds, so a scrape never
/// waits on the database and the alert on a stalled reader sees the record, not this process's own work.
/// </summary>
public sealed class OldestDueLessonProbe(IServiceScopeFactory scopes, BootcampMetrics metrics, DatabaseOutage outage, TimeProvider time) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var now = time.GetUtcNow().UtcDateTime;
                var oldest = await scope.ServiceProvider.GetRequiredService<LessonStore>().OldestDueAsync(now, stoppingToken);
                metrics.OldestDueLessonAge(oldest is { } due ? now - due : TimeSpan.Zero);
            }
            catch (Exception e) when (outage.Noted(e))
            {
                // The database is away: the last reading stays, and readiness says why.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
