using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Bootcamp.Security;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bootcamp.Enrollment;

/// <summary>Sends the double opt-in email. Ids only; sends only while a request is outstanding.</summary>
public sealed class ConfirmationJob(
    ConfirmationStore store,
    IEmailRenderer renderer,
    MessageFactory messages,
    LinkTokens tokens,
    IMailTransport transport,
    IBackgroundJobClient jobs,
    SuppressionList suppressions,
    CourseRecord record,
    IOptions<CampaignOptions> campaign,
    TimeProvider time,
    BootcampMetrics metrics,
    ILogger<ConfirmationJob> logger)
{
    /// <summary>One confirmation; a transient failure throws, for Hangfire to retry it later.</summary>
    [AutomaticRetry(Attempts = 8)]
    [Queue("confirmations")]
    public Task SendAsync(long enrollmentId, CancellationToken cancellationToken) =>
        SendGroupsAsync([enrollmentId], retryAlone: false, cancellationToken);

    /// <summary>
    /// Confirmations gathered while sign-ups arrived together, over one connection. One that fails for a
    /// moment goes on alone as <see cref="SendAsync"/>, with Hangfire's retries, so it never holds up the rest.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    [Queue("confirmations")]
    public Task SendBatchAsync(long[] enrollmentIds, CancellationToken cancellationToken) =>
        SendGroupsAsync(enrollmentIds, retryAlone: true, cancellationToken);

    // Claimed a group at a time, just before sending it: a crash loses at most one group's claims (their
    // readers can ask again after the hour the resend rule waits).
    internal const int GroupSize = 20;

    private async Task SendGroupsAsync(long[] enrollmentIds, bool retryAlone, CancellationToken cancellationToken)
    {
        IMailSession? session = null;
        try
        {
            foreach (var group in enrollmentIds.Chunk(GroupSize))
            {
                var claimed = await store.ClaimAsync(group, time.GetUtcNow().UtcDateTime, cancellationToken);
                if (claimed.Count == 0)
                {
                    continue;
                }
                var suppressed = await suppressions.SuppressedAmongAsync(claimed.Select(c => c.Email), cancellationToken);
                foreach (var confirmation in claimed.Where(c => !suppressed.Contains(c.Email)))
                {
                    try
                    {
                        await SendOneAsync(async () => session ??= await transport.OpenSessionAsync(cancellationToken), confirmation, cancellationToken);
                    }
                    catch (DeliveryException e) when (e.Failure.Kind == FailureKind.Transient && retryAlone)
                    {
                        var id = confirmation.Id;
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
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    /// <param name="connection">Opened inside the claim's try: a server that cannot be reached gives the request back too.</param>
    private async Task SendOneAsync(Func<Task<IMailSession>> connection, ClaimedConfirmation enrollment, CancellationToken cancellationToken)
    {
        var rendered = await renderer.RenderConfirmAsync(NeutralModel(campaign.Value, messages, tokens.Create(TokenPurpose.Confirm, enrollment.Id)));
        const bool neutral = true;
        var requestedAt = DateTime.SpecifyKind(enrollment.ConfirmationRequestedAt, DateTimeKind.Utc);
        var message = messages.Build(enrollment.Email, neutral, rendered,
            messages.ConfirmMessageId(enrollment.Id, requestedAt, neutral), unsubscribeUrl: null);

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
            // Give the request back so that a retry can send it.
            await store.ReleaseAsync(enrollment.Id);
            throw;
        }
        catch (DeliveryException e)
        {
            metrics.EmailSent("confirmation", e.Failure.Kind.ToString(), time.GetElapsedTime(started));
            logger.LogWarning("Confirmation for enrollment {EnrollmentId} refused: {Reply}", enrollment.Id, e.Failure.Message);
            if (e.Failure.Kind == FailureKind.HardBounce)
            {
                await record.BounceAsync(enrollment.Id, enrollment.Email, "hard-bounce", cancellationToken);
            }
        }
    }

    /// <summary>
    /// The confirmation as every reader gets it: neutral (sender, subject, greeting, and the discreet host's link), since
    /// the address may not be the person who typed it in, and the name is whatever that person typed.
    /// </summary>
    public static ConfirmEmailModel NeutralModel(CampaignOptions options, MessageFactory messages, string confirmToken)
    {
        var baseUrl = options.BaseUrlFor(discreet: true);
        return new ConfirmEmailModel
        {
            FirstName = null,
            Discreet = true,
            SenderName = messages.Sender(discreet: true).Name ?? string.Empty,
            PostalAddress = options.PostalAddress ?? string.Empty,
            BaseUrl = baseUrl,
            ConfirmUrl = $"{baseUrl}/confirm/{confirmToken}",
            ExpiresIn = Humanize(options.ConfirmationExpiry),
        };
    }

    internal static string Humanize(TimeSpan span) => span.TotalDays >= 1
        ? $"{span.TotalDays:0.#} day{(span.TotalDays == 1 ? "" : "s")}"
        : span.TotalHours >= 1 ? $"{span.TotalHours:0.#} hour{(span.TotalHours == 1 ? "" : "s")}" : $"{Math.Max(1, span.TotalMinutes):0} minutes";
}
