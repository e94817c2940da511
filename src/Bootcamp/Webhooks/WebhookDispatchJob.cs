using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Persistence;
using Hangfire;
using Microsoft.Extensions.Options;
using Quartz;

namespace Bootcamp.Webhooks;

/// <summary>
/// Quartz decides when: plans each endpoint's deliveries from the outbox, then claims the due ones in
/// batches and hands each batch to Hangfire (ids only). Claims outlive a lost job by their lease only.
/// </summary>
[DisallowConcurrentExecution]
public sealed class WebhookDispatchJob(WebhookStore store, IBackgroundJobClient jobs, IOptions<WebhookOptions> options, TimeProvider time, DatabaseOutage outage, ILogger<WebhookDispatchJob> logger) : IJob
{
    internal const int BatchSize = 50;
    private const int MaxBatchesPerTick = 20;

    /// <summary>A batch's attempts take at most this together (50 × the timeout), so a claim this old was lost.</summary>
    private TimeSpan Lease => options.Value.Timeout * BatchSize + TimeSpan.FromMinutes(1);

    public async Task Execute(IJobExecutionContext context)
    {
        try
        {
            await DispatchAsync(context.CancellationToken);
        }
        catch (Exception e) when (outage.Noted(e))
        {
            // The database is away: logged once as an outage; the next tick plans and claims what is due.
        }
    }

    /// <returns>How many deliveries were claimed.</returns>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var endpoints = options.Value.Endpoints;
        if (endpoints.Count == 0)
        {
            return 0;
        }
        var horizon = await store.SafeHorizonAsync(cancellationToken);
        foreach (var endpoint in endpoints)
        {
            var planned = await store.FanOutAsync(endpoint.Url, [.. endpoint.EventTypes(CourseEvents.All)], horizon, time.GetUtcNow().UtcDateTime, cancellationToken);
            if (planned > 0)
            {
                logger.LogDebug("Planned {Count} webhook deliveries", planned);
            }
        }
        var claimed = 0;
        for (var batch = 0; batch < MaxBatchesPerTick; batch++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var ids = await store.ClaimDueAsync(now, now - Lease, BatchSize, cancellationToken);
            if (ids.Length == 0)
            {
                break;
            }
            jobs.Enqueue<WebhookJob>(job => job.SendAsync(ids, CancellationToken.None));
            claimed += ids.Length;
            if (ids.Length < BatchSize)
            {
                break;
            }
        }
        return claimed;
    }
}
