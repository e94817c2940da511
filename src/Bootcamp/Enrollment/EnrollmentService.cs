using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Bootcamp.Enrollment;

public enum ConfirmOutcome
{
    Confirmed,
    AlreadyConfirmed,
    NotFound,
}

/// <summary>Sign-up, confirmation and unsubscribe: the enrollment's life, changed in the record first.</summary>
public sealed class EnrollmentService(
    BootcampDb db,
    CourseRecord record,
    AddressHasher hasher,
    IBackgroundJobClient jobs,
    ConfirmationQueue confirmations,
    IOptions<CampaignOptions> campaign,
    TimeProvider time,
    BootcampMetrics metrics,
    ILogger<EnrollmentService> logger)
{
    /// <summary>Applies "who gets what". The caller answers the same whatever happened here.</summary>
    public async Task SignUpAsync(ValidSignup signup, string source, CancellationToken cancellationToken)
    {
        metrics.SignedUp();
        var now = time.GetUtcNow().UtcDateTime;
        var key = EmailAddress.Key(signup.Email);
        var probe = await SignupProbe.ReadAsync(db, hasher.Hash(signup.Email), key, cancellationToken);
        if (probe.Suppressed)
        {
            return;
        }
        switch (SignupRules.Decide(probe.LatestStatus, probe.RequestedAt, now))
        {
            case SignupAction.StartNew:
                var id = await NewEnrollment.InsertAsync(db, signup, key, source, campaign.Value.ConsentVersion, now, cancellationToken);
                if (id is null)
                {
                    // The same address signed up at the same moment elsewhere; that one goes ahead.
                    return;
                }
                confirmations.Add(id.Value);
                return;
            case SignupAction.ResendConfirmation:
                var cutoff = now - SignupRules.ConfirmationResendInterval;
                var renewed = await db.Enrollments
                    .Where(e => e.Id == probe.Id && e.Status == EnrollmentStatus.Pending
                                && (e.ConfirmationRequestedAt == null || e.ConfirmationRequestedAt <= cutoff))
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConfirmationRequestedAt, now), cancellationToken);
                if (renewed == 1)
                {
                    confirmations.Add(probe.Id!.Value);
                }
                return;
            default:
                return;
        }
    }

    /// <summary>Starts the course in the record, then sends lesson 1 at once.</summary>
    public async Task<ConfirmOutcome> ConfirmAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        var confirmation = await record.ConfirmAsync(enrollmentId, cancellationToken);
        if (confirmation is { Change: Change.Done, FirstLessonId: { } first })
        {
            jobs.Enqueue<LessonBatchJob>(job => job.SendAsync(new[] { first }, CancellationToken.None));
            metrics.Confirmed();
            logger.LogInformation("Enrollment {EnrollmentId} confirmed", enrollmentId);
        }
        return confirmation.Change switch
        {
            Change.Done => ConfirmOutcome.Confirmed,
            Change.Already => ConfirmOutcome.AlreadyConfirmed,
            _ => ConfirmOutcome.NotFound,
        };
    }

    /// <summary>Stops the course in the record; a repeat changes nothing. False: no such enrollment.</summary>
    public async Task<bool> UnsubscribeAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        var change = await record.UnsubscribeAsync(enrollmentId, cancellationToken);
        if (change == Change.Done)
        {
            metrics.Unsubscribed();
            logger.LogInformation("Enrollment {EnrollmentId} unsubscribed", enrollmentId);
        }
        return change != Change.NotFound;
    }
}
