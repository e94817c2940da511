using Bootcamp.Domain;
using Bootcamp.Enrollment;
using Bootcamp.Lessons;
using Bootcamp.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace Bootcamp.Housekeeping;

/// <summary>
/// Forgets sign-ups never confirmed within <c>Campaign:ConfirmationExpiry</c>, and re-enqueues
/// confirmations whose job was lost (in-memory job storage across a restart). Idempotent: every
/// process may run it.
/// </summary>
[DisallowConcurrentExecution]
public sealed class HousekeepingJob(BootcampDb db, IBackgroundJobClient jobs, IOptions<CampaignOptions> campaign, TimeProvider time, ILogger<HousekeepingJob> logger) : IJob
{
    private static readonly TimeSpan LostAfter = TimeSpan.FromMinutes(10);

    public async Task Execute(IJobExecutionContext context) => await RunAsync(context.CancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expiredBefore = now - campaign.Value.ConfirmationExpiry;
        var forgotten = await db.Enrollments
            .Where(e => e.Status == EnrollmentStatus.Pending && (e.ConfirmationRequestedAt ?? e.CreatedAt) < expiredBefore)
            .ExecuteDeleteAsync(cancellationToken);
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
    }
}
