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
        switch (SignupRules.Decide(suppressed: false, probe.LatestStatus, probe.RequestedAt, now))
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

    /// <summary>Starts the seven lessons: lesson 1 at once, 2–7 per the schedule in the reader's zone.</summary>
    public async Task<ConfirmOutcome> ConfirmAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var enrollment = await db.Enrollments.AsNoTracking()
            .Where(e => e.Id == enrollmentId)
            .Select(e => new { e.Status, e.ConfirmationRequestedAt, e.CreatedAt, e.TimeZone })
            .FirstOrDefaultAsync(cancellationToken);
        if (enrollment is null)
        {
            return ConfirmOutcome.NotFound;
        }
        if (enrollment.Status is EnrollmentStatus.Active or EnrollmentStatus.Finished)
        {
            return ConfirmOutcome.AlreadyConfirmed;
        }
        var options = campaign.Value;
        var requested = enrollment.ConfirmationRequestedAt ?? enrollment.CreatedAt;
        if (enrollment.Status != EnrollmentStatus.Pending || now.UtcDateTime - requested > options.ConfirmationExpiry)
        {
            return ConfirmOutcome.NotFound;
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(enrollment.TimeZone) ?? DateTimeZone.Utc;
        var due = LessonSchedule.DueTimes(Instant.FromDateTimeOffset(now), zone, options.SendAtTime, Duration.FromTimeSpan(options.DayLength));
        var nowUtc = now.UtcDateTime;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var activated = await db.Enrollments
            .Where(e => e.Id == enrollmentId && e.Status == EnrollmentStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EnrollmentStatus.Active).SetProperty(e => e.ConfirmedAt, nowUtc), cancellationToken);
        if (activated == 0)
        {
            // A second click raced the first; the first one started the course.
            return ConfirmOutcome.AlreadyConfirmed;
        }
        var lessons = new LessonRecord[Campaign.LessonCount];
        for (var i = 0; i < lessons.Length; i++)
        {
            lessons[i] = new LessonRecord
            {
                EnrollmentId = enrollmentId,
                Day = i + 1,
                DueAt = due[i].ToDateTimeUtc(),
                // Lesson 1 is claimed here and sent at once; the dispatcher re-sends it if this job is lost.
                State = i == 0 ? LessonState.Claimed : LessonState.Scheduled,
                ClaimedAt = i == 0 ? nowUtc : null,
            };
        }
        db.Lessons.AddRange(lessons);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();

        jobs.Enqueue<LessonBatchJob>(job => job.SendAsync(new[] { lessons[0].Id }, CancellationToken.None));
        metrics.Confirmed();
        logger.LogInformation("Enrollment {EnrollmentId} confirmed", enrollmentId);
        return ConfirmOutcome.Confirmed;
    }

    /// <summary>Stops every lesson, and the finished note, not yet taken by a sender; a repeat changes nothing.</summary>
    public async Task<bool> UnsubscribeAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var exists = await db.Enrollments.AnyAsync(e => e.Id == enrollmentId, cancellationToken);
        if (!exists)
        {
            return false;
        }
        var changed = await db.Enrollments
            .Where(e => e.Id == enrollmentId && EnrollmentRules.EndedByUnsubscribe.Contains(e.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EnrollmentStatus.Unsubscribed).SetProperty(e => e.UnsubscribedAt, now), cancellationToken);
        // A finished course keeps its status; the withdrawal of consent is still recorded.
        await db.Enrollments.Where(e => e.Id == enrollmentId && e.UnsubscribedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.UnsubscribedAt, now), cancellationToken);
        await SuppressionList.StopSendingAsync(db, enrollmentId, cancellationToken);
        if (changed == 1)
        {
            metrics.Unsubscribed();
            logger.LogInformation("Enrollment {EnrollmentId} unsubscribed", enrollmentId);
        }
        return true;
    }
}
