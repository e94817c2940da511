using System.Buffers;
using System.Net;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Bootcamp.IntegrationTests.Infrastructure;

// Answers the end of DATA: a transient failure that SmtpSink.FailNext asked for, or 250 with a queue id.
internal sealed class SmtpSinkMessageStore(SmtpSinkRules rules, ReceivedMailLog log) : MessageStore
{
    private long _queued;

    public override Task<SmtpResponse> SaveAsync(
        ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var recipients = transaction.To.Select(mailbox => mailbox.AsAddress()).ToArray();
        if (rules.TakeTransientFailure(recipients) is { } failure)
        {
            return Task.FromResult(failure);
        }

        // The buffer belongs to the connection's pipe and is reused once this returns.
        var client = context.Properties.TryGetValue(EndpointListener.RemoteEndPointKey, out var endpoint) && endpoint is IPEndPoint ip ? ip.Port : 0;
        // A queue id in the reply, as Postfix gives one, so a test can find the answer the sender kept.
        var queueId = $"{0x4A00 + Interlocked.Increment(ref _queued):X}";
        log.Add(new ReceivedMail(buffer.ToArray(), transaction.From?.AsAddress(), recipients, DateTimeOffset.UtcNow, client, queueId));
        return Task.FromResult(new SmtpResponse(SmtpReplyCode.Ok, $"2.0.0 Ok: queued as {queueId}"));
    }
}
