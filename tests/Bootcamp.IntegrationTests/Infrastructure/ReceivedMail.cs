using MimeKit;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>A message that <see cref="SmtpSink"/> accepted, with its SMTP envelope.</summary>
public sealed class ReceivedMail(byte[] raw, string? sender, IReadOnlyList<string> recipients, DateTimeOffset receivedAt, int clientPort = 0, string? queueId = null)
{
    // Parsed on first look only: benchmarks push thousands of messages nobody reads.
    private readonly Lazy<MimeMessage> message = new(() => MimeMessage.Load(new MemoryStream(raw, writable: false)));

    /// <summary>The message as received after DATA, dot-unstuffed.</summary>
    public ReadOnlyMemory<byte> Raw { get; } = raw;

    /// <summary>MAIL FROM; null for the null reverse-path of a bounce.</summary>
    public string? Sender { get; } = sender;

    /// <summary>The accepted RCPT TO addresses.</summary>
    public IReadOnlyList<string> Recipients { get; } = recipients;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    /// <summary>The client's TCP port on loopback (0 when unknown): tells apart messages of several sending processes.</summary>
    public int ClientPort { get; } = clientPort;

    /// <summary>The id the sink's 250 reply named ("Ok: queued as …"), as Postfix names its queue file.</summary>
    public string? QueueId { get; } = queueId;

    public MimeMessage Message => message.Value;

    public override string ToString() =>
        $"{ReceivedAt:HH:mm:ss.fff} to {string.Join(", ", Recipients)} \"{Message.Subject}\"";
}
