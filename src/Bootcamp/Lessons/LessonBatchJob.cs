using System.Diagnostics;
using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bootcamp.Lessons;

/// <summary>
/// Sends one batch of claimed lessons over one SMTP connection. Carries ids only and re-reads the
/// record; each chunk of lessons is taken with one conditional update just before it is sent, so running
/// the same batch twice, or two batches holding the same ids, sends each lesson once.
/// </summary>
public sealed class LessonBatchJob(
    LessonStore store,
    LessonComposer composer,
    IMailTransport transport,
    CourseRecord record,
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
        try
        {
            await SendBatchAsync(lessonIds, cancellationToken);
        }
        catch
        {
            // Whatever it took and may not have recorded goes back to the dispatcher (LessonStore.AbandonTaken).
            store.AbandonTaken();
            throw;
        }
    }

    private async Task SendBatchAsync(long[] lessonIds, CancellationToken cancellationToken)
    {
        var lessons = await store.LoadClaimedAsync(lessonIds, cancellationToken);
        if (lessons.Count == 0)
        {
            return;
        }
        // The connection first: waiting for a free one after taking would make the take an old look.
        var session = await transport.OpenSessionAsync(cancellationToken);
        var sent = new List<(LessonToSend Lesson, string Reply)>(ChunkSize);
        var stopped = new HashSet<long>();
        try
        {
            foreach (var chunk in lessons.Chunk(ChunkSize))
            {
                var built = await ComposeAsync(chunk, cancellationToken);
                if (built.Count == 0)
                {
                    continue;
                }
                // What the chunk before sent is recorded in the same step that takes this one.
                var taken = await RecordThenTakeAsync(sent, [.. built.Select(b => LessonTake.Of(b.Lesson.LessonId, b.Mail.Links, b.Mail.MessageId))], cancellationToken);
                foreach (var (lesson, mail) in built)
                {
                    if (!taken.Contains(lesson.LessonId))
                    {
                        continue;
                    }
                    if (stopped.Contains(lesson.EnrollmentId))
                    {
                        // An earlier lesson of this batch bounced the address: taken, but never sent.
                        await store.SkipTakenAsync(lesson.LessonId, cancellationToken);
                        continue;
                    }
                    var (result, reply) = await SendOneAsync(session, lesson, mail, cancellationToken);
                    switch (result)
                    {
                        case SendResult.Sent:
                            sent.Add((lesson, reply!));
                            break;
                        case SendResult.EnrollmentStopped:
                            stopped.Add(lesson.EnrollmentId);
                            break;
                    }
                }
            }
        }
        finally
        {
            try
            {
                // Whatever stopped the batch, what went out is recorded (a crash before this resends those
                // few after the lease, with the same Message-ID).
                if (sent.Count > 0)
                {
                    await RecordThenTakeAsync(sent, [], CancellationToken.None);
                }
            }
            finally
            {
                // Back to the pool even when the database is down, or the pool would run dry.
                await session.DisposeAsync();
            }
        }
    }

    // Lessons are taken, sent and recorded a chunk at a time: a statement per chunk instead of one per
    // lesson, while a chunk stays small enough that its take is still the last look before SMTP (an
    // unsubscribe is at most one chunk's sending late) and a crash resends at most one chunk.
    internal const int ChunkSize = 20;

    private async Task<List<(LessonToSend Lesson, ComposedLesson Mail)>> ComposeAsync(LessonToSend[] chunk, CancellationToken cancellationToken)
    {
        var built = new List<(LessonToSend, ComposedLesson)>(chunk.Length);
        foreach (var lesson in chunk)
        {
            try
            {
                built.Add((lesson, await composer.ComposeAsync(lesson)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Lesson {Day} of enrollment {EnrollmentId} could not be built", lesson.Day, lesson.EnrollmentId);
                await store.FailClaimedAsync(lesson.LessonId, $"build failed: {e.Message}", cancellationToken);
            }
        }
        return built;
    }

    /// <summary>Records the lessons sent since the last step (emptying <paramref name="sent"/>), then takes <paramref name="next"/>.</summary>
    private async Task<HashSet<long>> RecordThenTakeAsync(List<(LessonToSend Lesson, string Reply)> sent, LessonTake[] next, CancellationToken cancellationToken)
    {
        var now = Now();
        foreach (var (lesson, _) in sent.Where(l => l.Lesson.SoftBounces > 0))
        {
            // A delivered lesson ends a run of soft failures.
            await store.ResetSoftBouncesAsync(lesson.EnrollmentId, cancellationToken);
        }
        // The last lesson ends the campaign, and so may an earlier one that went out late after retries.
        var ended = sent.Select(s => s.Lesson).Where(l => l.Day == Campaign.LessonCount || l.Attempts > 0)
            .DistinctBy(l => l.EnrollmentId)
            .Select(l => (l.EnrollmentId, _campaign.FinishedNoteDue(l.TimeZone, now, l.SendAt)))
            .ToArray();
        var taken = await store.RecordThenTakeAsync(new SentChunk([.. sent.Select(s => s.Lesson.LessonId)], [.. sent.Select(s => s.Reply)], ended), next, now, cancellationToken);
        sent.Clear();
        return taken;
    }

    private enum SendResult { Sent, Failed, EnrollmentStopped }

    /// <returns>Whether the server accepted it, with its answer when it did; failures are recorded here.</returns>
    private async Task<(SendResult Result, string? Reply)> SendOneAsync(IMailSession session, LessonToSend lesson, ComposedLesson composed, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var span = Tracing.Source.StartActivity("lesson send", ActivityKind.Client);
        span?.SetTag(Tracing.Day, lesson.Day).SetTag(Tracing.EnrollmentId, lesson.EnrollmentId);
        string reply;
        try
        {
            reply = await session.SendAsync(composed.Message, cancellationToken, composed.EnvelopeSender);
        }
        catch (DeliveryException e)
        {
            metrics.LessonSent(e.Failure.Kind.ToString(), time.GetElapsedTime(started));
            span.SendOutcome(e.Failure.Kind.ToString(), e.Failure.StatusCode);
            return (await RecordFailureAsync(lesson, e.Failure, cancellationToken) ? SendResult.EnrollmentStopped : SendResult.Failed, null);
        }
        metrics.LessonSent("sent", time.GetElapsedTime(started));
        // The end of DATA accepted: SMTP's 250.
        span.SendOutcome("sent", 250);
        return (SendResult.Sent, reply);
    }

    private async Task BounceAsync(LessonToSend lesson, string reason, CancellationToken cancellationToken)
    {
        if (await record.BounceAsync(lesson.EnrollmentId, lesson.Email, reason, cancellationToken) == Change.Done)
        {
            metrics.Bounced(reason);
        }
    }

    /// <returns>True when the failure ended the enrollment (the address bounced).</returns>
    private async Task<bool> RecordFailureAsync(LessonToSend lesson, DeliveryFailure failure, CancellationToken cancellationToken)
    {
        var stopsEnrollment = false;
        var attempts = lesson.Attempts;
        switch (failure.Kind)
        {
            case FailureKind.Transient when attempts < _retryDelays.Length:
                var next = Now() + _retryDelays[attempts];
                logger.LogWarning("Lesson {Day} of enrollment {EnrollmentId} deferred until {Next}: {Reply}", lesson.Day, lesson.EnrollmentId, next, failure.Message);
                await store.RescheduleAsync(lesson.LessonId, next, failure.Message, cancellationToken);
                return false;
            case FailureKind.Transient:
                logger.LogWarning("Lesson {Day} of enrollment {EnrollmentId} failed after {Attempts} attempts: {Reply}", lesson.Day, lesson.EnrollmentId, attempts + 1, failure.Message);
                await store.FailAsync(lesson.LessonId, failure.Message, cancellationToken);
                // Three lessons in a row lost to soft failures: the mailbox is as good as gone.
                if (await store.AddSoftBounceAsync(lesson.EnrollmentId, cancellationToken) >= 3)
                {
                    await BounceAsync(lesson, "soft-bounces", cancellationToken);
                    stopsEnrollment = true;
                }
                break;
            case FailureKind.HardBounce:
                logger.LogInformation("Lesson {Day} of enrollment {EnrollmentId} bounced ({Status}); address suppressed", lesson.Day, lesson.EnrollmentId, failure.EnhancedCode);
                await store.FailAsync(lesson.LessonId, failure.Message, cancellationToken);
                await BounceAsync(lesson, "hard-bounce", cancellationToken);
                stopsEnrollment = true;
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
        return stopsEnrollment;
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
