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
        _directory = Path.GetFullPath(options.Value.PickupDirectory, environment.ContentRootPath);
        Directory.CreateDirectory(_directory);
    }

    public ValueTask<IMailSession> OpenSessionAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IMailSession>(this);

    public async Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken, MailboxAddress? envelopeSender = null)
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
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
