using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Bootcamp.Security;
using Hangfire;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bootcamp.Lessons;

/// <summary>
/// Sends one batch of claimed "you finished" notes over one SMTP connection. Ids (enrollments) only; each
/// note is taken with a conditional update just before it is sent, so a retried, duplicated or concurrent
/// job sends each note once. Failures never touch the course's status: it stays finished, and the stats with it.
/// </summary>
public sealed class FinishedNoteJob(
    FinishedNoteStore store,
    FinishedNoteComposer composer,
    IMailTransport transport,
    SuppressionList suppressions,
    AddressHasher hasher,
    IOptions<DeliveryOptions> delivery,
    TimeProvider time,
    BootcampMetrics metrics,
    ILogger<FinishedNoteJob> logger)
{
    private readonly TimeSpan[] _retryDelays = delivery.Value.ParsedRetryDelays();

    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 30, 120, 600, 1800])]
    [Queue("default")]
    public async Task SendAsync(long[] enrollmentIds, CancellationToken cancellationToken)
    {
        var notes = await store.LoadClaimedAsync(enrollmentIds, cancellationToken);
        IMailSession? session = null;
        try
        {
            foreach (var note in notes)
            {
                OutgoingMessage message;
                try
                {
                    message = await composer.ComposeAsync(note);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "The finished note of enrollment {EnrollmentId} could not be built", note.EnrollmentId);
                    await store.FailClaimedAsync(note.EnrollmentId, $"build failed: {e.Message}", cancellationToken);
                    continue;
                }
                if (!await store.TryTakeAsync(note.EnrollmentId, hasher.Hashes(note.Email), Now(), cancellationToken))
                {
                    continue;
                }
                session ??= await transport.OpenSessionAsync(cancellationToken);
                await SendOneAsync(session, note, message, cancellationToken);
            }
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

    private async Task SendOneAsync(IMailSession session, FinishedNoteToSend note, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await session.SendAsync(message, cancellationToken);
        }
        catch (DeliveryException e)
        {
            metrics.FinishedNoteSent(e.Failure.Kind.ToString(), time.GetElapsedTime(started));
            await RecordFailureAsync(note, e.Failure, cancellationToken);
            return;
        }
        metrics.FinishedNoteSent("sent", time.GetElapsedTime(started));
        // It went out: recorded whatever stops the job now (a crash before this resends it after the lease, same Message-ID).
        await store.MarkSentAsync(note.EnrollmentId, Now(), CancellationToken.None);
    }

    private async Task RecordFailureAsync(FinishedNoteToSend note, DeliveryFailure failure, CancellationToken cancellationToken)
    {
        switch (failure.Kind)
        {
            case FailureKind.Transient when note.Attempts < _retryDelays.Length:
                var next = Now() + _retryDelays[note.Attempts];
                logger.LogWarning("Finished note of enrollment {EnrollmentId} deferred until {Next}: {Reply}", note.EnrollmentId, next, failure.Message);
                await store.RescheduleAsync(note.EnrollmentId, next, failure.Message, cancellationToken);
                break;
            case FailureKind.HardBounce:
                // The address is gone: never mailed again, but the course it finished stays finished.
                logger.LogInformation("Finished note of enrollment {EnrollmentId} bounced ({Status}); address suppressed", note.EnrollmentId, failure.EnhancedCode);
                await store.FailAsync(note.EnrollmentId, failure.Message, cancellationToken);
                await suppressions.SuppressAsync(note.Email, "hard-bounce", cancellationToken);
                break;
            case FailureKind.SenderPolicy:
                logger.LogError("Finished note of enrollment {EnrollmentId} refused by policy ({Status}): {Reply}", note.EnrollmentId, failure.EnhancedCode, failure.Message);
                metrics.PolicyRejection();
                await store.FailAsync(note.EnrollmentId, failure.Message, cancellationToken);
                break;
            default:
                logger.LogWarning("Finished note of enrollment {EnrollmentId} failed after {Attempts} attempts: {Reply}", note.EnrollmentId, note.Attempts + 1, failure.Message);
                await store.FailAsync(note.EnrollmentId, failure.Message, cancellationToken);
                break;
        }
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
