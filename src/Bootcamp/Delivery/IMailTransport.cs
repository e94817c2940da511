using MimeKit;

namespace Bootcamp.Delivery;

/// <summary>Where mail goes: an SMTP server over pooled connections, or a pickup directory.</summary>
public interface IMailTransport
{
    /// <summary>Takes one connection for a run of sends (a batch). Dispose returns it to the pool.</summary>
    ValueTask<IMailSession> OpenSessionAsync(CancellationToken cancellationToken);

    /// <summary>The connections as they are this moment (this process only).</summary>
    MailPoolState PoolState { get; }
}

public interface IMailSession : IAsyncDisposable
{
    /// <summary>
    /// Sends one message; throws <see cref="DeliveryException"/> when it is not accepted.
    /// <paramref name="envelopeSender"/> is the MAIL FROM (a VERP return path); null: the From address.
    /// </summary>
    /// <returns>The server's final reply to the message (<c>250 2.0.0 Ok: queued as …</c>), redacted and bounded (<see cref="SmtpReply"/>).</returns>
    Task<string> SendAsync(OutgoingMessage message, CancellationToken cancellationToken, MailboxAddress? envelopeSender = null);
}
