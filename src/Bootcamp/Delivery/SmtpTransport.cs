using System.Collections.Concurrent;
using System.Net.Sockets;
using Bootcamp.Domain;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bootcamp.Delivery;

/// <summary>
/// MailKit over at most <c>Smtp:MaxConnections</c> connections, kept open and reused. A session holds
/// one connection for a batch; <see cref="SmtpClient"/> is not thread-safe, so a connection is never shared.
/// </summary>
public sealed class SmtpTransport(IOptions<SmtpOptions> options, ILogger<SmtpTransport> logger) : IMailTransport, IAsyncDisposable
{
    private readonly SmtpOptions _options = options.Value;
    private readonly ILogger _logger = logger;
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConnections, options.Value.MaxConnections);
    private readonly ConcurrentBag<PooledClient> _idle = [];

    public MailPoolState PoolState => new("smtp", $"{_options.Host}:{_options.Port}", _options.MaxConnections,
        _options.MaxConnections - _slots.CurrentCount, _idle.Count);

    public async ValueTask<IMailSession> OpenSessionAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        _idle.TryTake(out var pooled);
        return new Session(this, pooled);
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        try
        {
            await SmtpConnection.ConnectAsync(client, _options.Host!, _options.Port, SecureOptions(_options.Security), cancellationToken);
            if (!string.IsNullOrEmpty(_options.UserName))
            {
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? string.Empty, cancellationToken);
            }
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static SecureSocketOptions SecureOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    private void Return(PooledClient? pooled)
    {
        if (pooled is { Client.IsConnected: true })
        {
            _idle.Add(pooled with { IdleSince = DateTime.UtcNow });
        }
        else
        {
            pooled?.Client.Dispose();
        }
        _slots.Release();
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var pooled))
        {
            try
            {
                if (pooled.Client.IsConnected)
                {
                    await pooled.Client.DisconnectAsync(quit: true);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or MailKit.ProtocolException or OperationCanceledException)
            {
                // Closing politely is a courtesy; the server times the connection out either way.
            }
            pooled.Client.Dispose();
        }
        _slots.Dispose();
    }

    private sealed record PooledClient(SmtpClient Client, DateTime IdleSince);

    private sealed class Session(SmtpTransport owner, PooledClient? pooled) : IMailSession
    {
        // A server may drop a connection that idled; one NOOP tells before a message is at stake.
        private static readonly TimeSpan IdleCheckAfter = TimeSpan.FromSeconds(15);
        private PooledClient? _pooled = pooled;
        private readonly WireMessage _wire = new();

        public async Task<string> SendAsync(OutgoingMessage message, CancellationToken cancellationToken, MailboxAddress? envelopeSender = null)
        {
            var client = await ReadyClientAsync(cancellationToken);
            try
            {
                // MailKit gives the text of the reply to the end of DATA; its code is always 250 (RFC 5321 4.3.2).
                return SmtpReply.Of(250, await client.SendAsync(_wire.Carrying(message), envelopeSender ?? message.From, [message.To], cancellationToken));
            }
            catch (SmtpCommandException e)
            {
                // The server answered: the connection is still good for the next message. Its reply often quotes
                // the recipient, so only the redacted reply goes on (not MailKit's exception), to logs and the record.
                throw new DeliveryException(DeliveryFailureClassifier.Classify((int)e.StatusCode, Redaction.Addresses(e.Message)), connectionBroken: false);
            }
            catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or TimeoutException
                                          or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Drop();
                // A network error after DATA may mean it was delivered; the retry carries the same Message-ID.
                throw new DeliveryException(new DeliveryFailure(FailureKind.Transient, 0, null, e.Message), connectionBroken: true, e);
            }
        }

        private async Task<SmtpClient> ReadyClientAsync(CancellationToken cancellationToken)
        {
            if (_pooled is { } current && current.Client.IsConnected)
            {
                if (DateTime.UtcNow - current.IdleSince < IdleCheckAfter)
                {
                    return current.Client;
                }
                try
                {
                    await current.Client.NoOpAsync(cancellationToken);
                    _pooled = current with { IdleSince = DateTime.MaxValue };
                    return current.Client;
                }
                catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or SmtpCommandException)
                {
                    owner._logger.LogInformation("Pooled SMTP connection went stale; reconnecting");
                }
            }
            Drop();
            try
            {
                var client = await owner.ConnectAsync(cancellationToken);
                _pooled = new PooledClient(client, DateTime.MaxValue);
                return client;
            }
            catch (SmtpCommandException e)
            {
                // Refused before any recipient was named (greeting, EHLO, AUTH): nothing about the reader,
                // so every lesson waits for a retry rather than failing for good.
                throw new DeliveryException(new DeliveryFailure(FailureKind.Transient, (int)e.StatusCode, DeliveryFailureClassifier.EnhancedCode(e.Message), $"connection refused: {Redaction.Addresses(e.Message)}"), connectionBroken: true);
            }
            catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or AuthenticationException or SslHandshakeException
                                          or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new DeliveryException(new DeliveryFailure(FailureKind.Transient, 0, null, $"cannot connect: {e.Message}"), connectionBroken: true, e);
            }
        }

        private void Drop()
        {
            _pooled?.Client.Dispose();
            _pooled = null;
        }

        public ValueTask DisposeAsync()
        {
            owner.Return(_pooled);
            _pooled = null;
            return ValueTask.CompletedTask;
        }
    }
}
