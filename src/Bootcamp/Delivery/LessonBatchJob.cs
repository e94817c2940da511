using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Hangfire;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Bootcamp.Delivery;

/// <summary>
/// Sends one batch of claimed lessons over one SMTP connection. Carries ids only and re-reads the
/// record; each lesson is taken with a conditional update just before it is sent, so running the same
/// batch twice, or two batches holding the same ids, sends each lesson once.
/// </summary>
public sealed class LessonBatchJob(
    LessonStore store,
    LessonComposer composer,
    IMailTransport transport,
    SuppressionList suppressions,
    IOptions<DeliveryOptions> delivery,
    IOptions<CampaignOptions> campaign,
    TimeProvider time,
    BootcampMetrics metrics,
    ILogger<LessonBatchJob> logger)
{
    private readonly TimeSpan[] _retryDelays = delivery.Value.ParsedRetryDelays();
    private readonly CampaignOptions _campaign = campaign.Value;

    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 30, 120, 600, 1800])]
    [Queue("lessons")]
    public async Task SendAsync(long[] lessonIds, CancellationToken cancellationToken)
    {
        var lessons = await store.LoadClaimedAsync(lessonIds, cancellationToken);
        if (lessons.Count == 0)
        {
            return;
        }
        IMailSession? session = null;
        var sent = new List<LessonToSend>(RecordEvery);
        try
        {
            foreach (var lesson in lessons)
            {
                ComposedLesson composed;
                try
                {
                    composed = await composer.ComposeAsync(lesson);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Lesson {Day} of enrollment {EnrollmentId} could not be built", lesson.Day, lesson.EnrollmentId);
                    await store.FailClaimedAsync(lesson.LessonId, $"build failed: {e.Message}", cancellationToken);
                    continue;
                }
                if (!await store.TryTakeAsync(lesson.LessonId, composed.Links, composed.MessageId, Now(), cancellationToken))
                {
                    continue;
                }
                session ??= await transport.OpenSessionAsync(cancellationToken);
                if (await SendOneAsync(session, lesson, composed, cancellationToken))
                {
                    sent.Add(lesson);
                }
                if (sent.Count == RecordEvery)
                {
                    await RecordSentAsync(sent, cancellationToken);
                }
            }
        }
        finally
        {
            try
            {
                // Whatever stopped the batch, what went out is recorded (a crash before this resends those
                // few after the lease, with the same Message-ID).
                await RecordSentAsync(sent, CancellationToken.None);
            }
            finally
            {
                // Back to the pool even when the database is down, or the pool would run dry.
                if (session is not null)
                {
                    await session.DisposeAsync();
                }
            }
        }
    }

    // Recording sends in groups halves the statements per lesson; the group is what a crash may resend.
    private const int RecordEvery = 20;

    private async Task RecordSentAsync(List<LessonToSend> sent, CancellationToken cancellationToken)
    {
        if (sent.Count == 0)
        {
            return;
        }
        await store.MarkSentAsync([.. sent.Select(l => l.LessonId)], Now(), cancellationToken);
        foreach (var lesson in sent)
        {
            // A delivered lesson ends a run of soft failures.
            if (lesson.SoftBounces > 0)
            {
                await store.ResetSoftBouncesAsync(lesson.EnrollmentId, cancellationToken);
            }
            // The last lesson ends the campaign, and so may an earlier one that went out late after retries.
            if (lesson.Day == Campaign.LessonCount || lesson.Attempts > 0)
            {
                var now = Now();
                await store.FinishIfDoneAsync(lesson.EnrollmentId, now, FinishedNoteDue(lesson, now), cancellationToken);
            }
        }
        sent.Clear();
    }

    /// <returns>True when the server accepted it; failures are recorded here.</returns>
    private async Task<bool> SendOneAsync(IMailSession session, LessonToSend lesson, ComposedLesson composed, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await session.SendAsync(composed.Message, cancellationToken, composed.EnvelopeSender);
        }
        catch (DeliveryException e)
        {
            metrics.LessonSent(e.Failure.Kind.ToString(), time.GetElapsedTime(started));
            await RecordFailureAsync(lesson, e.Failure, cancellationToken);
            return false;
        }
        metrics.LessonSent("sent", time.GetElapsedTime(started));
        return true;
    }

    private async Task RecordFailureAsync(LessonToSend lesson, DeliveryFailure failure, CancellationToken cancellationToken)
    {
        var attempts = lesson.Attempts;
        switch (failure.Kind)
        {
            case FailureKind.Transient when attempts < _retryDelays.Length:
                var next = Now() + _retryDelays[attempts];
                logger.LogWarning("Lesson {Day} of enrollment {EnrollmentId} deferred until {Next}: {Reply}", lesson.Day, lesson.EnrollmentId, next, failure.Message);
                await store.RescheduleAsync(lesson.LessonId, next, failure.Message, cancellationToken);
                return;
            case FailureKind.Transient:
                logger.LogWarning("Lesson {Day} of enrollment {EnrollmentId} failed after {Attempts} attempts: {Reply}", lesson.Day, lesson.EnrollmentId, attempts + 1, failure.Message);
                await store.FailAsync(lesson.LessonId, failure.Message, cancellationToken);
                // Three lessons in a row lost to soft failures: the mailbox is as good as gone.
                if (await store.AddSoftBounceAsync(lesson.EnrollmentId, cancellationToken) >= 3)
                {
                    await suppressions.BounceAsync(lesson.EnrollmentId, lesson.Email, "soft-bounces", cancellationToken);
                }
                break;
            case FailureKind.HardBounce:
                logger.LogInformation("Lesson {Day} of enrollment {EnrollmentId} bounced ({Status}); address suppressed", lesson.Day, lesson.EnrollmentId, failure.EnhancedCode);
                await store.FailAsync(lesson.LessonId, failure.Message, cancellationToken);
                await suppressions.BounceAsync(lesson.EnrollmentId, lesson.Email, "hard-bounce", cancellationToken);
                break;
            case FailureKind.SenderPolicy:
                // Our own configuration (SPF, DKIM, reputation) is at fault, not the reader's address.
                logger.LogError("Lesson {Day} of enrollment {EnrollmentId} refused by policy ({Status}): {Reply}", lesson.Day, lesson.EnrollmentId, failure.EnhancedCode, failure.Message);
                metrics.PolicyRejection();
                await store.FailAsync(lesson.LessonId, failure.Message, cancellationToken);
                break;
            default:
                logger.LogWarning("Lesson {Day} of enrollment {EnrollmentId} failed permanently: {Reply}", lesson.Day, lesson.EnrollmentId, failure.Message);
                await store.FailAsync(lesson.LessonId, failure.Message, cancellationToken);
                break;
        }
        // A course that ended on a lost lesson gets no "you finished" note.
        await store.FinishIfDoneAsync(lesson.EnrollmentId, Now(), finishedNoteDue: null, cancellationToken);
    }

    /// <summary>When the "you finished" note would follow this lesson, sent at <paramref name="sentAt"/>; null when turned off.</summary>
    private DateTime? FinishedNoteDue(LessonToSend lesson, DateTime sentAt)
    {
        if (!_campaign.FinishedNote)
        {
            return null;
        }
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(lesson.TimeZone) ?? DateTimeZone.Utc;
        return LessonSchedule.FinishedNoteDue(Instant.FromDateTimeUtc(sentAt), zone, _campaign.SendAtTime, Duration.FromTimeSpan(_campaign.DayLength))
            .ToDateTimeUtc();
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
