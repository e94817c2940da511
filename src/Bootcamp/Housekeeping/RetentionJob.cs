using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Persistence;
using Microsoft.Extensions.Options;
using Quartz;

namespace Bootcamp.Housekeeping;

/// <summary>
/// Keeps personal data no longer than <c>Retention:KeepEndedFor</c>: forgets the people behind courses that ended
/// longer ago (totals stay) and removes pickup files older than that. Every process may run it at once: the record
/// forgets under a lock, and a file removed by another process is simply gone.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(CourseRecord record, IOptions<RetentionOptions> retention, IOptions<SmtpOptions> smtp, IHostEnvironment environment,
    TimeProvider time, DatabaseOutage outage, ILogger<RetentionJob> logger) : IJob
{
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
        var keptFor = retention.Value.KeepEndedFor;
        var forgotten = 0;
        int step;
        do
        {
            step = await record.ForgetEndedAsync(keptFor, cancellationToken);
            forgotten += step;
        }
        while (step == CourseRecord.ForgetBatch);
        if (forgotten > 0)
        {
            logger.LogInformation("Forgot the reader of {Count} courses that ended more than {Days} days ago", forgotten, keptFor.TotalDays);
        }

        var removed = PickupDirectoryTransport.RemoveOlderThan(PickupDirectoryTransport.DirectoryOf(smtp.Value, environment), time.GetUtcNow().UtcDateTime - keptFor);
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} pickup files older than {Days} days", removed, keptFor.TotalDays);
        }
    }
}
