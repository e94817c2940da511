using Hangfire;
using Microsoft.Extensions.Options;
using Quartz;

namespace Bootcamp.Delivery;

/// <summary>
/// Quartz decides when: every <c>Delivery:DispatchInterval</c> this claims due lessons in batches and
/// hands each batch to Hangfire as one job (ids only). It also re-dispatches claims whose executor was
/// lost (a restart with in-memory job storage, a deleted job): the record, not Hangfire, knows what is due.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DispatchDueLessonsJob(
    LessonStore store,
    IBackgroundJobClient jobs,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DispatchDueLessonsJob> logger) : IJob
{
    // Enough for a large time zone's 08:00 in one tick without flooding the job queue.
    private const int MaxBatchesPerTick = 100;

    public async Task Execute(IJobExecutionContext context) => await DispatchAsync(context.CancellationToken);

    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var claimed = 0;
        for (var batch = 0; batch < MaxBatchesPerTick; batch++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var ids = await store.ClaimDueAsync(now, now - settings.ClaimLease, settings.BatchSize, cancellationToken);
            if (ids.Length == 0)
            {
                break;
            }
            jobs.Enqueue<LessonBatchJob>(job => job.SendAsync(ids, CancellationToken.None));
            claimed += ids.Length;
            if (ids.Length < settings.BatchSize)
            {
                break;
            }
        }
        if (claimed > 0)
        {
            logger.LogInformation("Dispatched {Count} due lessons", claimed);
        }
        return claimed;
    }
}
