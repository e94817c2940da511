using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Bootcamp.IntegrationTests.Infrastructure;

// Answers MAIL FROM while SmtpSink.RefuseEverything holds, and RCPT TO for addresses that SmtpSink.RejectRecipient named.
internal sealed class SmtpSinkMailboxFilter(SmtpSinkRules rules) : IMailboxFilter
{
    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
        rules.Everything is { } refusal
            ? Task.FromException<bool>(new SmtpResponseException(refusal))
            : Task.FromResult(true);

    // Returning false always answers "550 mailbox unavailable"; only an exception carries our own reply.
    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
        rules.RejectionFor(to.AsAddress()) is { } rejection
            ? Task.FromException<bool>(new SmtpResponseException(rejection))
            : Task.FromResult(true);
}
