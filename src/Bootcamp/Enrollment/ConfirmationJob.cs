using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bootcamp.Enrollment;

/// <summary>Sends the double opt-in email. Ids only; sends only while a request is outstanding.</summary>
public sealed class ConfirmationJob(
    BootcampDb db,
    IEmailRenderer renderer,
    MessageFactory messages,
    LinkTokens tokens,
    IMailTransport transport,
    IBackgroundJobClient jobs,
    SuppressionList suppressions,
    IOptions<CampaignOptions> campaign,
    TimeProvider time,
    BootcampMetrics metrics,
    ILogger<ConfirmationJob> logger)
{
    /// <summary>One confirmation; a transient failure throws, for Hangfire to retry it later.</summary>
    [AutomaticRetry(Attempts = 8)]
    [Queue("confirmations")]
    public async Task SendAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        IMailSession? session = null;
        try
        {
            await SendOneAsync(enrollmentId, async () => session ??= await transport.OpenSessionAsync(cancellationToken), cancellationToken);
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Confirmations gathered while sign-ups arrived together, over one connection. One that fails for a
    /// moment goes on alone as <see cref="SendAsync"/>, with Hangfire's retries, so it never holds up the rest.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    [Queue("confirmations")]
    public async Task SendBatchAsync(long[] enrollmentIds, CancellationToken cancellationToken)
    {
        IMailSession? session = null;
        try
        {
            foreach (var id in enrollmentIds)
            {
                try
                {
                    await SendOneAsync(id, async () => session ??= await transport.OpenSessionAsync(cancellationToken), cancellationToken);
                }
                catch (DeliveryException e) when (e.Failure.Kind == FailureKind.Transient)
                {
                    jobs.Enqueue<ConfirmationJob>(job => job.SendAsync(id, CancellationToken.None));
                    // The connection may be what failed: the next one starts afresh.
                    if (session is not null)
                    {
                        await session.DisposeAsync();
                        session = null;
                    }
                }
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    private async Task SendOneAsync(long enrollmentId, Func<Task<IMailSession>> connection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // The claim: only one job sends for each request, however often Hangfire runs it.
        var claimed = await db.Enrollments
            .Where(e => e.Id == enrollmentId && e.Status == EnrollmentStatus.Pending && e.ConfirmationRequestedAt != null
                        && (e.ConfirmationSentAt == null || e.ConfirmationSentAt < e.ConfirmationRequestedAt))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConfirmationSentAt, now), cancellationToken);
        if (claimed == 0)
        {
            return;
        }
        var enrollment = await db.Enrollments.AsNoTracking().SingleAsync(e => e.Id == enrollmentId, cancellationToken);
        if (await suppressions.IsSuppressedAsync(enrollment.Email, cancellationToken))
        {
            return;
        }

        var options = campaign.Value;
        var baseUrl = options.PublicBaseUrl.TrimEnd('/');
        var rendered = await renderer.RenderConfirmAsync(new ConfirmEmailModel
        {
            FirstName = enrollment.FirstName,
            Discreet = enrollment.Discreet,
            SenderName = messages.Sender(enrollment.Discreet).Name ?? string.Empty,
            PostalAddress = options.PostalAddress ?? string.Empty,
            BaseUrl = baseUrl,
            ConfirmUrl = $"{baseUrl}/confirm/{tokens.Create(TokenPurpose.Confirm, enrollmentId)}",
            ExpiresIn = Humanize(options.ConfirmationExpiry),
        });
        var message = messages.Build(enrollment.Email, enrollment.Discreet, rendered,
            messages.ConfirmMessageId(enrollmentId, enrollment.ConfirmationRequestedAt!.Value, enrollment.Discreet), unsubscribeUrl: null);

        var started = time.GetTimestamp();
        try
        {
            var session = await connection();
            await session.SendAsync(message, cancellationToken);
            metrics.EmailSent("confirmation", "sent", time.GetElapsedTime(started));
        }
        catch (DeliveryException e) when (e.Failure.Kind == FailureKind.Transient)
        {
            metrics.EmailSent("confirmation", "Transient", time.GetElapsedTime(started));
            // Give the request back so Hangfire's retry can send it.
            await db.Enrollments.Where(x => x.Id == enrollmentId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConfirmationSentAt, (DateTime?)null), CancellationToken.None);
            throw;
        }
        catch (DeliveryException e)
        {
            metrics.EmailSent("confirmation", e.Failure.Kind.ToString(), time.GetElapsedTime(started));
            logger.LogWarning("Confirmation for enrollment {EnrollmentId} refused: {Reply}", enrollmentId, e.Failure.Message);
            if (e.Failure.Kind == FailureKind.HardBounce)
            {
                await suppressions.BounceAsync(enrollmentId, enrollment.Email, "hard-bounce", cancellationToken);
            }
        }
    }

    internal static string Humanize(TimeSpan span) => span.TotalDays >= 1
        ? $"{span.TotalDays:0.#} day{(span.TotalDays == 1 ? "" : "s")}"
        : span.TotalHours >= 1 ? $"{span.TotalHours:0.#} hour{(span.TotalHours == 1 ? "" : "s")}" : $"{Math.Max(1, span.TotalMinutes):0} minutes";
}
