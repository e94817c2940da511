using System.Diagnostics;
using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Bootcamp.Persistence;
using Hangfire;
using Microsoft.Extensions.Options;
using Quartz;

namespace Bootcamp.Lessons;

/// <summary>
/// Quartz decides when: every <c>Delivery:DispatchInterval</c> this claims due lessons in batches and
/// hands each batch to Hangfire as one job (ids only), then does the same for due "you finished" notes.
/// It also re-dispatches claims whose executor was lost (a restart with in-memory job storage, a deleted
/// job): the record, not Hangfire, knows what is due.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DispatchDueLessonsJob(
    CourseRecord record,
    LessonStore store,
    FinishedNoteStore notes,
    IBackgroundJobClient jobs,
    IOptions<DeliveryOptions> options,
    IOptions<CampaignOptions> campaign,
    TimeProvider time,
    DatabaseOutage outage,
    ILogger<DispatchDueLessonsJob> logger) : IJob
{
    // Enough for a large time zone's 08:00 in one tick without flooding the job queue.
    private const int MaxBatchesPerTick = 100;

    public async Task Execute(IJobExecutionContext context)
    {
        try
        {
            await DispatchAsync(context.CancellationToken);
        }
        catch (Exception e) when (outage.Noted(e))
        {
            // The database is away: logged once as an outage; the next tick claims what is due.
        }
    }

    /// <returns>How many lessons and notes were claimed.</returns>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        // Pauses whose time came put their lessons back in the schedule before it is read.
        var resumed = await record.ResumeEndedPausesAsync(cancellationToken);
        if (resumed > 0)
        {
            logger.LogInformation("Resumed {Count} courses whose pause ended", resumed);
        }
        var lessons = await DispatchAsync(store.ClaimDueAsync, ids => jobs.Enqueue<LessonBatchJob>(job => job.SendAsync(ids, CancellationToken.None)), cancellationToken);
        if (lessons > 0)
        {
            logger.LogInformation("Dispatched {Count} due lessons", lessons);
        }
        if (!campaign.Value.FinishedNote)
        {
            // Turned off: notes planned while it was on are dropped, not kept for a day it is turned on again.
            await notes.SkipDueAsync(time.GetUtcNow().UtcDateTime, cancellationToken);
            return lessons;
        }
        var finishedNotes = await DispatchAsync(notes.ClaimDueAsync, ids => jobs.Enqueue<FinishedNoteJob>(job => job.SendAsync(ids, CancellationToken.None)), cancellationToken);
        if (finishedNotes > 0)
        {
            logger.LogInformation("Dispatched {Count} finished notes", finishedNotes);
        }
        return lessons + finishedNotes;
    }

    /// <summary>Claims in batches (due, and past their lease) and enqueues one job per batch.</summary>
    private async Task<int> DispatchAsync(Func<DateTime, DateTime, int, CancellationToken, Task<long[]>> claim, Action<long[]> enqueue, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var claimed = 0;
        for (var batch = 0; batch < MaxBatchesPerTick; batch++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var ids = await claim(now, now - settings.ClaimLease, settings.BatchSize, cancellationToken);
            if (ids.Length == 0)
            {
                break;
            }
            // Only around a batch that goes out: an idle tick every second would bury the traces that matter.
            using (var span = Tracing.Source.StartActivity("dispatch", ActivityKind.Producer))
            {
                span?.SetTag(Tracing.Count, ids.Length);
                enqueue(ids);
            }
            claimed += ids.Length;
            if (ids.Length < settings.BatchSize)
            {
                break;
            }
        }
        return claimed;
    }
}
