using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Operations;
using Microsoft.Extensions.Options;

namespace Bootcamp.Lessons;

/// <summary>How an admin's resend ended, and what to tell them.</summary>
public enum ResendOutcome
{
    /// <summary>The mail server accepted it.</summary>
    Sent,
    NotFound,
    /// <summary>The record refused (see <see cref="CourseRecord.ClaimResendAsync"/>).</summary>
    NotAllowed,
    /// <summary>The mail server refused it or could not be reached; nothing was recorded as sent.</summary>
    Refused,
}

public sealed record ResendResult(ResendOutcome Outcome, string Detail);

/// <summary>
/// Sends one lesson again, at once, while the admin waits: claimed in the record, built by the same composer as
/// every lesson (same Message-ID, same tracking choice, plus RFC 5322 resent fields), sent over a pooled
/// connection with the lesson's return path, then recorded. The admin learns the mail server's answer.
/// </summary>
public sealed class LessonResender(
    CourseRecord record,
    LessonComposer composer,
    MessageFactory messages,
    IMailTransport transport,
    IOptions<DeliveryOptions> delivery,
    BootcampMetrics metrics,
    TimeProvider time,
    ILogger<LessonResender> logger)
{
    public async Task<ResendResult> ResendAsync(long enrollmentId, int day, CancellationToken cancellationToken)
    {
        var claim = await record.ClaimResendAsync(enrollmentId, day, delivery.Value.ClaimLease, cancellationToken);
        if (claim.Lesson is not { } lesson)
        {
            return new ResendResult(claim.Change == Change.NotFound ? ResendOutcome.NotFound : ResendOutcome.NotAllowed, claim.Refusal ?? "");
        }
        var started = time.GetTimestamp();
        var recorded = false;
        try
        {
            var composed = await composer.ComposeAsync(lesson, messages.ResentHeaders(lesson.LessonId, claim.Resend, lesson.Discreet));
            string reply;
            await using (var session = await transport.OpenSessionForAdminAsync(cancellationToken))
            {
                reply = await session.SendAsync(composed.Message, cancellationToken, composed.EnvelopeSender);
            }
            metrics.EmailSent("resend", "sent", time.GetElapsedTime(started));
            await record.RecordResentAsync(lesson.LessonId, composed.MessageId, composed.Links, reply, CancellationToken.None);
            recorded = true;
            logger.LogInformation("Lesson {Day} of enrollment {EnrollmentId} sent again (resend {Resend})", day, enrollmentId, claim.Resend);
            return new ResendResult(ResendOutcome.Sent,
                $"Day {day} went out again (resend {claim.Resend}) under the lesson's own Message-ID <{composed.MessageId}>, marked by Resent-* headers; the mail server accepted it: {reply}");
        }
        catch (DeliveryException e)
        {
            metrics.EmailSent("resend", e.Failure.Kind.ToString(), time.GetElapsedTime(started));
            logger.LogWarning("Resend of lesson {Day} of enrollment {EnrollmentId} refused: {Reply}", day, enrollmentId, e.Failure.Message);
            if (e.Failure.Kind == FailureKind.HardBounce)
            {
                // The mailbox is gone: the same rule as for any lesson.
                await record.BounceAsync(enrollmentId, lesson.Email, "hard-bounce", CancellationToken.None);
                return new ResendResult(ResendOutcome.Refused, $"the mail server refused it for good ({e.Failure.Message}); the address is now suppressed");
            }
            return new ResendResult(ResendOutcome.Refused, $"the mail server did not take it ({e.Failure.Message}); nothing was recorded, try again later");
        }
        finally
        {
            if (!recorded)
            {
                // Refused, or stopped by anything else: a next try need not wait for the lease.
                await record.ReleaseResendAsync(lesson.LessonId, CancellationToken.None);
            }
        }
    }
}
