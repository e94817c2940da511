using Bootcamp.Domain;

namespace Bootcamp.Delivery;

/// <summary>A pooled session for someone waiting on the answer (an admin's resend or test), who should not wait behind a whole burst.</summary>
public static class WaitingSession
{
    /// <summary>How long an admin's send waits for a free connection before being told to try again.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>A session within <paramref name="wait"/> (<see cref="Wait"/>); else a transient <see cref="DeliveryException"/> saying every connection is busy.</summary>
    public static async ValueTask<IMailSession> OpenSessionForAdminAsync(this IMailTransport transport, CancellationToken cancellationToken, TimeSpan? wait = null)
    {
        var limitAfter = wait ?? Wait;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(limitAfter);
        try
        {
            return await transport.OpenSessionAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DeliveryException(new DeliveryFailure(FailureKind.Transient, 0, null, $"every SMTP connection stayed busy for {limitAfter.TotalSeconds:0.#} s"), connectionBroken: false);
        }
    }
}
