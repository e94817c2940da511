using Microsoft.Extensions.Options;
using MimeKit;

namespace Bootcamp.Delivery;

/// <summary>The embedded default: one .eml file per message, written whole (temp file, then rename).</summary>
public sealed class PickupDirectoryTransport : IMailTransport, IMailSession
{
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
        await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
        {
            if (envelopeSender is not null)
            {
                // What a delivering MTA records of the envelope, so the file shows where bounces would go.
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"Return-Path: <{envelopeSender.Address}>\r\n"), cancellationToken);
            }
            // The message as it would cross the wire, CRLF line ends included (RFC 5322's own form).
            await stream.WriteAsync(message.ToBytes(), cancellationToken);
        }
        File.Move(temp, Path.Combine(_directory, name + ".eml"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
