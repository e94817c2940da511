using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Enrollment;
using Bootcamp.Lessons;
using Bootcamp.Persistence;
using Bootcamp.Webhooks;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace Bootcamp.Housekeeping;

/// <summary>
/// Forgets sign-ups never confirmed within <c>Campaign:ConfirmationExpiry</c>, re-enqueues
/// confirmations whose job was lost (in-memory job storage across a restart), and finishes courses
/// whose last send was recorded but whose ending was not (a crash between the two statements), and forgets
/// sign-up counters whose window has ended.
/// Idempotent: every process may run it.
/// </summary>
[DisallowConcurrentExecution]
public sealed class HousekeepingJob(BootcampDb db, CourseRecord record, SignupBudget budget, LessonStore lessons, WebhookStore webhooks, IOptions<WebhookOptions> webhookOptions, IBackgroundJobClient jobs, IOptions<CampaignOptions> campaign, TimeProvider time, DatabaseOutage outage, ILogger<HousekeepingJob> logger) : IJob
{
    private static readonly TimeSpan LostAfter = TimeSpan.FromMinutes(10);

    public async Task Execute(IJobExecutionContext context)
    {
        try
        {
            await RunAsync(context.CancellationToken);
        }
        catch (Exception e) when (outage.Noted(e))
        {
            // The database is away: logged once as an outage; the next run picks up where this one stopped.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var forgotten = await record.ForgetUnconfirmedAsync(cancellationToken);
        if (forgotten > 0)
        {
            logger.LogInformation("Forgot {Count} sign-ups never confirmed", forgotten);
        }

        var lostBefore = now - LostAfter;
        var lost = await db.Enrollments.AsNoTracking()
            .Where(e => e.Status == EnrollmentStatus.Pending && e.ConfirmationRequestedAt != null && e.ConfirmationRequestedAt < lostBefore
                        && (e.ConfirmationSentAt == null || e.ConfirmationSentAt < e.ConfirmationRequestedAt))
            .OrderBy(e => e.Id)
            .Select(e => e.Id)
            .Take(1000)
            .ToListAsync(cancellationToken);
        foreach (var id in lost)
        {
            jobs.Enqueue<ConfirmationJob>(job => job.SendAsync(id, CancellationToken.None));
        }

        await FinishStrandedAsync(now, cancellationToken);

        // Sign-up counters whose day has ended count nothing any more; their keyed hashes need not be kept.
        await budget.PruneAsync(now, cancellationToken);

        var pruned = await webhooks.PruneAsync(now, [.. webhookOptions.Value.Endpoints.Select(e => e.Url)], cancellationToken);
        if (pruned > 0)
        {
            logger.LogInformation("Forgot {Count} outbox events and webhook deliveries older than {Days} days", pruned, WebhookStore.KeptFor.TotalDays);
        }
    }

    private async Task FinishStrandedAsync(DateTime now, CancellationToken cancellationToken)
    {
        var stranded = await db.Enrollments.AsNoTracking()
            .Where(e => e.Status == EnrollmentRules.MaySendLessons && !e.Lessons.Any(l => LessonStates.OnItsWay.Contains(l.State)))
            .OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.TimeZone, LastSentAt = e.Lessons.Where(l => l.Day == Campaign.LessonCount).Select(l => l.SentAt).FirstOrDefault() })
            .Take(1000)
            .ToListAsync(cancellationToken);
        // The note's due time as the sender would have planned it; the store plans it only if all seven went out.
        // The same one statement for them all on PostgreSQL as a sender's chunk uses.
        await lessons.FinishIfDoneAsync(
            [.. stranded.Select(e => (e.Id, e.LastSentAt is { } sentAt ? campaign.Value.FinishedNoteDue(e.TimeZone, sentAt) : null))],
            now, cancellationToken);
        if (stranded.Count > 0)
        {
            logger.LogWarning("Finished {Count} courses whose last lesson was recorded but whose ending was not", stranded.Count);
        }
    }
}
