using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Bootcamp.IntegrationTests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Bootcamp.Benchmarks.Delivery;

/// <summary>
/// The best MailKit does here: copies of a received lesson, each with its own recipient and Message-ID,
/// serialised to bytes before the clock starts, sent over the same number of connections to the same
/// sink, each connection a NoDelay socket under a write buffer the size the host's (64 KB), kept open
/// for the whole run. No database, rendering or job server: what is left is MailKit's SMTP dialogue.
/// </summary>
internal sealed class RawMailKitRun
{
    // The host's SmtpConnection.WriteBufferSize: one send per message instead of MailKit's 4 KB pieces.
    private const int WriteBufferSize = 64 * 1024;
    private const int WarmUpMessages = 500;

    private readonly PreSerialisedMessage[] messages;
    private readonly MailboxAddress[] recipients;
    private readonly MailboxAddress sender;
    private readonly int lessonSize;

    private RawMailKitRun(PreSerialisedMessage[] messages, MailboxAddress[] recipients, MailboxAddress sender, int lessonSize)
    {
        this.messages = messages;
        this.recipients = recipients;
        this.sender = sender;
        this.lessonSize = lessonSize;
    }

    public int Count => messages.Length;

    /// <summary>Serialises <paramref name="count"/> copies of <paramref name="lesson"/> (a received message, CRLF line ends).</summary>
    public static RawMailKitRun Prepare(ReceivedMail lesson, int count)
    {
        var raw = lesson.Raw.ToArray();
        var split = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (split < 0)
        {
            throw new BenchmarkException("The lesson raw MailKit copies has no blank line after its header section.");
        }
        var head = Encoding.ASCII.GetString(raw, 0, split + 2);
        // The sink keeps a message without the CRLF that ends its last line: the host sent it, so the copies do too.
        byte[] body = [.. raw.AsSpan(split + 4), .. "\r\n"u8];
        var messages = new PreSerialisedMessage[count];
        var recipients = new MailboxAddress[count];
        for (var i = 0; i < count; i++)
        {
            var reader = SampleReaders.Number(i + 1, ".raw").Email;
            recipients[i] = MailboxAddress.Parse(reader);
            var ownHead = HeaderSection.Replace(head, ("To", $" <{reader}>"), ("Message-ID", $" <raw-{i + 1}@bench.example.com>"));
            messages[i] = new PreSerialisedMessage(Encoding.ASCII.GetBytes(ownHead), body);
        }
        return new RawMailKitRun(messages, recipients, MailboxAddress.Parse(lesson.Sender ?? "bench@example.com"), raw.Length);
    }

    /// <summary>One timed run of every message; the sink is reset first. Returns messages per second.</summary>
    public async Task<double> RunAsync(SmtpSink sink, int connections, string label, List<string> failures, CancellationToken cancellationToken)
    {
        // The first run in this process pays for JIT and connection set-up; not MailKit's pace.
        await SendAsync(sink.Port, Math.Min(WarmUpMessages, messages.Length), connections, cancellationToken);
        sink.Reset();

        var clock = Stopwatch.StartNew();
        await SendAsync(sink.Port, messages.Length, connections, cancellationToken);
        var elapsed = clock.Elapsed;
        var perSecond = messages.Length / elapsed.TotalSeconds;
        Progress.Say($"raw MailKit ({label}): {messages.Length} in {elapsed.TotalSeconds:0.00} s = {perSecond:0}/s over {connections} connections");
        if (sink.Messages is { Count: > 0 } sent)
        {
            // The same message as the host's, byte for byte but for its recipient and Message-ID: say so.
            Progress.Say($"raw MailKit ({label}): {sent[0].Raw.Length} bytes as received, the host's lesson {lessonSize} bytes");
        }
        if (sink.Messages.Count != messages.Length)
        {
            failures.Add($"raw MailKit ({label}): the sink received {sink.Messages.Count} messages; expected {messages.Length}");
        }
        sink.Reset();
        return perSecond;
    }

    // Each connection takes the next unsent message until none is left, as the host's batches share work.
    private async Task SendAsync(int port, int count, int connections, CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using var client = await ConnectAsync(port, cancellationToken);
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await client.SendAsync(messages[i], sender, [recipients[i]], cancellationToken);
            }
            await client.DisconnectAsync(quit: true, cancellationToken);
        }));
    }

    // As the host connects (SmtpConnection): its own NoDelay socket under a buffered stream.
    private static async Task<SmtpClient> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new SmtpClient();
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            var stream = new BufferedStream(new NetworkStream(socket, ownsSocket: true), WriteBufferSize);
            await client.ConnectAsync(stream, "127.0.0.1", port, SecureSocketOptions.None, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            socket.Dispose();
            throw;
        }
    }
}
