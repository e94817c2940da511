using MimeKit;

namespace Bootcamp.Delivery;

/// <summary>Who the mail is from: the course's sender, and the neutral one for discreet readers and confirmations.</summary>
public sealed record Senders(MailboxAddress From, MailboxAddress DiscreetFrom);
