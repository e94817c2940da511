using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.Benchmarks.Delivery;

/// <summary>
/// What the sink takes from a fast client in C: Postfix's <c>smtp-source</c> (Debian package <c>postfix</c>)
/// sending a received lesson, byte for byte, over the same number of sessions, each kept open for the
/// whole run (<c>-d</c>). Neither the host nor MailKit beats it on this sink: the ceiling of the run for a
/// client that waits for each answer. smtp-source does not pipeline; a client pipelining across messages
/// (the body's end, then the next MAIL, RCPT and DATA, in one write) went past it (HISTORY.md).
/// </summary>
internal sealed class SmtpCeilingRun : IDisposable
{
    public const string Program = "/usr/sbin/smtp-source";
    private const int WarmUpMessages = 500;

    private readonly string messageFile;
    private readonly string sender;
    private readonly int lessonSize;

    private SmtpCeilingRun(string messageFile, string sender, int lessonSize)
    {
        this.messageFile = messageFile;
        this.sender = sender;
        this.lessonSize = lessonSize;
    }

    public static bool Installed => File.Exists(Program);

    /// <summary>Writes <paramref name="lesson"/> to a file as smtp-source wants it: LF line ends (it sends each line with CRLF, dot-stuffed).</summary>
    public static SmtpCeilingRun Prepare(ReceivedMail lesson)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bootcamp-bench-lesson-{Guid.NewGuid():N}.eml");
        var text = Encoding.ASCII.GetString(lesson.Raw.Span).Replace("\r\n", "\n", StringComparison.Ordinal);
        File.WriteAllText(path, text, Encoding.ASCII);
        return new SmtpCeilingRun(path, lesson.Sender ?? "bench@example.com", lesson.Raw.Length);
    }

    public void Dispose() => File.Delete(messageFile);

    /// <summary>One timed run of <paramref name="count"/> messages after a short warm-up; the sink is reset around it. Returns messages per second.</summary>
    public async Task<double> RunAsync(SmtpSink sink, int count, int sessions, string label, List<string> failures, CancellationToken cancellationToken)
    {
        await SendAsync(sink, WarmUpMessages, sessions, cancellationToken);
        sink.Reset();

        var clock = Stopwatch.StartNew();
        await SendAsync(sink, count, sessions, cancellationToken);
        var elapsed = clock.Elapsed;
        var perSecond = count / elapsed.TotalSeconds;
        Progress.Say($"smtp-source ({label}): {count} in {elapsed.TotalSeconds:0.00} s = {perSecond:0}/s over {sessions} sessions");
        if (sink.Messages is { Count: > 0 } sent)
        {
            // The same message as the host's, byte for byte but for its recipient and Message-ID: say so.
            Progress.Say($"smtp-source ({label}): {sent[0].Raw.Length} bytes as received, the host's lesson {lessonSize} bytes");
        }
        if (sink.Messages.Count != count)
        {
            failures.Add($"smtp-source ({label}): the sink received {sink.Messages.Count} messages; expected {count}");
        }
        sink.Reset();
        return perSecond;
    }

    private async Task SendAsync(SmtpSink sink, int count, int sessions, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // -d: one connection per session for all its messages, as the host keeps its pool open;
        // -N: a numbered recipient per message; -M: the HELO name.
        foreach (var argument in (string[])["-d", "-s", sessions.ToString(CultureInfo.InvariantCulture), "-m", count.ToString(CultureInfo.InvariantCulture),
                     "-F", messageFile, "-f", sender, "-t", "reader@ceiling.example.com", "-N", "-M", "bench.example.com",
                     $"127.0.0.1:{sink.Port}"])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new BenchmarkException($"{Program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new BenchmarkException($"{Program} exited with code {process.ExitCode}: {await errors}{await output}");
        }
        // It exits when it has its last 250; the sink logs a message just before answering it.
        await sink.WaitForAsync(m => m.Count >= count, TimeSpan.FromSeconds(10)).WaitAsync(cancellationToken);
    }
}
