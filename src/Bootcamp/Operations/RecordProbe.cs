using Bootcamp.Courses;
using Bootcamp.Persistence;

namespace Bootcamp.Operations;

/// <summary>
/// Every few seconds reads the oldest due lesson's age into <see cref="BootcampMetrics"/>, and with it whether the
/// database answers (bootcamp_ready): a scrape never waits on the database, the alert on a stalled reader sees the
/// record rather than this process's own work, and an outage logs nothing here (DatabaseOutage says it once).
/// </summary>
public sealed class RecordProbe(IServiceScopeFactory scopes, BootcampMetrics metrics, DatabaseOutage outage, TimeProvider time, ILogger<RecordProbe> logger) : BackgroundService
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
                metrics.Ready(true);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The last age stays; not ready until the database answers again.
                metrics.Ready(false);
                if (!outage.Noted(e))
                {
                    logger.LogWarning("Could not read the oldest due lesson: {Message}", e.Message);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
