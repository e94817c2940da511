using Bootcamp.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bootcamp.Bounces;

/// <summary>
/// The configured VERP codec, keyed with the service's own secret (shared by every process, so any
/// process reads a return path another one made). Null when <c>Bounces:ReturnPathTemplate</c> is empty.
/// </summary>
public sealed class ReturnPaths(IOptions<BounceOptions> options, AppSecrets secrets)
{
    private ReturnPathCodec? _codec;

    /// <summary>Built on first use: the secret is loaded at start-up, after the container is built.</summary>
    public ReturnPathCodec? Codec => options.Value.VerpEnabled
        ? _codec ??= new ReturnPathCodec(options.Value.ReturnPathTemplate!, secrets.AddressHashKey)
        : null;

    /// <summary>The envelope sender (MAIL FROM) for a lesson; null to use the From address.</summary>
    public MailboxAddress? EnvelopeSenderFor(long lessonId) =>
        Codec is { } codec ? new MailboxAddress(string.Empty, codec.AddressFor(lessonId)) : null;
}
