using System.Diagnostics;
using Bootcamp.IntegrationTests.Infrastructure;
using MailKit.Net.Smtp;
using MimeKit;
using MimeKit.Utils;

namespace Bootcamp.Benchmarks.Delivery;

/// <summary>
/// The ceiling: pre-built messages of a real lesson's size sent with MailKit alone over the same
/// number of NoDelay connections to the same sink, with no database, rendering or job server.
/// </summary>
internal static class RawMailKitRun
{
    private const int WarmUpMessages = 500;

    public static async Task<(double PerSecond, List<string> Failures)> RunAsync(
        SmtpSink sink, byte[] lesson, int count, int connections, CancellationToken cancellationToken)
    {
        Progress.Say($"raw MailKit: building {count} messages from a received lesson of {lesson.Length} bytes");
        var messages = Build(lesson, count);

        // JIT and connection warm-up in this process, so the figure is MailKit's pace and not start-up.
        await SendAllAsync(sink.Port, messages[..Math.Min(WarmUpMessages, count)], connections, cancellationToken);
        sink.Reset();

        Progress.Say($"raw MailKit: sending {count} over {connections} connections");
        var clock = Stopwatch.StartNew();
        await SendAllAsync(sink.Port, messages, connections, cancellationToken);
        var elapsed = clock.Elapsed;
        var perSecond = count / elapsed.TotalSeconds;
        Progress.Say($"raw MailKit: {count} in {elapsed.TotalSeconds:0.00} s = {perSecond:0}/s");

        var failures = new List<string>();
        if (sink.Messages.Count != count)
        {
            failures.Add($"raw MailKit: the sink received {sink.Messages.Count} messages; expected {count}");
        }
        return (perSecond, failures);
    }

    private static MimeMessage[] Build(byte[] lesson, int count)
    {
        var messages = new MimeMessage[count];
        for (var i = 0; i < count; i++)
        {
            var message = MimeMessage.Load(new MemoryStream(lesson, writable: false));
            message.To.Clear();
            message.To.Add(MailboxAddress.Parse(SampleReaders.Number(i + 1, ".raw").Email));
            message.MessageId = MimeUtils.GenerateMessageId("bench.example.com");
            messages[i] = message;
        }
        return messages;
    }

    // Each connection takes the next unsent message until none is left, as the host's batches share work.
    private static async Task SendAllAsync(int port, MimeMessage[] messages, int connections, CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using SmtpClient client = await LoopbackSmtpClient.ConnectAsync(port, cancellationToken);
            int i;
            while ((i = Interlocked.Increment(ref next)) < messages.Length)
            {
                await client.SendAsync(messages[i], cancellationToken);
            }
            await client.DisconnectAsync(quit: true, cancellationToken);
        }));
    }
}
