using Microsoft.Extensions.Options;
using MimeKit;

namespace Bootcamp.Delivery;

/// <summary>The embedded default: one .eml file per message, written whole (temp file, then rename).</summary>
public sealed class PickupDirectoryTransport : IMailTransport, IMailSession
{
    private static readonly byte[] BlankLine = "\r\n"u8.ToArray();
    private readonly string _directory;

    public PickupDirectoryTransport(IOptions<SmtpOptions> options, IHostEnvironment environment)
    {
        _directory = DirectoryOf(options.Value, environment);
        Directory.CreateDirectory(_directory);
    }

    public MailPoolState PoolState => new("pickup", _directory, 0, 0, 0);

    public static string DirectoryOf(SmtpOptions options, IHostEnvironment environment) =>
        Path.GetFullPath(options.PickupDirectory, environment.ContentRootPath);

    /// <summary>
    /// Removes the messages (and temp files a crash left) last written before <paramref name="before"/>: each holds an
    /// address, a name and working links. Another process removing the same file is no failure.
    /// </summary>
    /// <returns>How many files this call removed.</returns>
    public static int RemoveOlderThan(string directory, DateTime before)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }
        var removed = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles())
        {
            if (file.Extension is not (".eml" or ".tmp") || file.LastWriteTimeUtc >= before)
            {
                continue;
            }
            try
            {
                file.Delete();
                removed++;
            }
            catch (DirectoryNotFoundException)
            {
                // The folder went with it: nothing left to remove.
            }
        }
        return removed;
    }

    public ValueTask<IMailSession> OpenSessionAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IMailSession>(this);

    public async Task<string> SendAsync(OutgoingMessage message, CancellationToken cancellationToken, MailboxAddress? envelopeSender = null)
    {
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}";
        var temp = Path.Combine(_directory, name + ".tmp");
        // The message as it would cross the wire, CRLF line ends included (RFC 5322's own form), in one
        // gathered write: the header section, the blank line, the body. Before it, what a delivering MTA
        // records of the envelope, so the file shows where bounces would go.
        ReadOnlyMemory<byte>[] parts = envelopeSender is null
            ? [message.Head, BlankLine, message.Body]
            : [System.Text.Encoding.ASCII.GetBytes($"Return-Path: <{envelopeSender.Address}>\r\n"), message.Head, BlankLine, message.Body];
        using (var file = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous))
        {
            await RandomAccess.WriteAsync(file, parts, fileOffset: 0, cancellationToken);
        }
        File.Move(temp, Path.Combine(_directory, name + ".eml"));
        // No server answers here: the file's name stands in for the queue id.
        return $"written to {name}.eml";
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
