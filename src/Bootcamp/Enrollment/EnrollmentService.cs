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
    SignupBudget budget,
    IBackgroundJobClient jobs,
    ConfirmationQueue confirmations,
    IOptions<CampaignOptions> campaign,
    TimeProvider time,
    BootcampMetrics metrics,
    ILogger<EnrollmentService> logger)
{
    /// <summary>Applies "who gets what". The caller answers the same whatever happened here.</summary>
    /// <remarks>
    /// Nor may the time it takes tell: a new address, a pending one, one in a course, a suppressed one and one
    /// over its sign-up budget all run the same four statements (the probe; the counters; the insert, which
    /// inserts nothing unless a course starts; the renewal, which renews nothing unless a confirmation is sent
    /// again) and end in one commit that always writes (the counters), so every outcome pays for one durable
    /// write. What differs is decided in SQL parameters and in memory. Sending the email is never waited for.
    /// </remarks>
    public async Task SignUpAsync(ValidSignup signup, string source, CancellationToken cancellationToken)
    {
        metrics.SignedUp();
        var now = time.GetUtcNow().UtcDateTime;
        var key = EmailAddress.Key(signup.Email);
        var probe = await SignupProbe.ReadAsync(db, hasher.Hashes(signup.Email), key, cancellationToken);
        var action = probe.Suppressed ? SignupAction.Nothing : SignupRules.Decide(probe.LatestStatus, probe.RequestedAt, now);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var withinBudget = await budget.SpendAsync(signup.Email, sending: action != SignupAction.Nothing, now, cancellationToken);
        var id = await NewEnrollment.InsertAsync(db, insert: withinBudget && action == SignupAction.StartNew,
            signup, key, source, campaign.Value.ConsentVersion, now, cancellationToken);
        var renewed = await RenewRequestAsync(renew: withinBudget && action == SignupAction.ResendConfirmation, probe.Id ?? 0, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // A new id only when a course started (none when the same address signed up at the same moment
        // elsewhere; that one goes ahead); a renewal only when the confirmation is due again.
        if (id is { } started)
        {
            confirmations.Add(started);
        }
        else if (renewed)
        {
            confirmations.Add(probe.Id!.Value);
        }
    }

    private const string RenewSql = """
        UPDATE enrollments SET confirmation_requested_at = @now
        WHERE id = @id AND @renew AND status = 'Pending'
          AND (confirmation_requested_at IS NULL OR confirmation_requested_at <= @cutoff)
        """;

    /// <summary>Runs for every sign-up; renews the pending enrollment's request only when <paramref name="renew"/>.</summary>
    private async Task<bool> RenewRequestAsync(bool renew, long enrollmentId, DateTime now, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlRawAsync(RenewSql, [
            db.Parameter("now", now),
            db.Parameter("id", enrollmentId),
            db.Parameter("renew", renew),
            db.Parameter("cutoff", now - SignupRules.ConfirmationResendInterval)], cancellationToken) == 1;

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
