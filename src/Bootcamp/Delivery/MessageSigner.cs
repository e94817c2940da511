using Bootcamp.Operations;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace Bootcamp.Delivery;

/// <summary>
/// Signs messages with MimeKit's <see cref="DkimSigner"/> when <c>Dkim:*</c> has a key. A prepared message
/// is read back into MimeKit's model, made 7-bit (it already is), signed last as MimeKit asks, and written
/// again in the same wire form, with the DKIM-Signature header first.
/// </summary>
public sealed class MessageSigner
{
    // What the signature covers: everything a reader or a filter judges the message by, including the
    // one-click unsubscribe pair, which Gmail and Yahoo want signed.
    private static readonly string[] SignedHeaders =
        ["From", "To", "Subject", "Date", "Message-Id", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "MIME-Version", "Content-Type"];

    private readonly DkimSigner _signer;

    public MessageSigner(IOptions<DkimOptions> dkim, Senders senders, IHostEnvironment environment)
        : this(dkim.Value, senders.From.Domain, environment.ContentRootPath)
    {
    }

    internal MessageSigner(DkimOptions options, string fromDomain, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(options.Selector))
        {
            throw new ConfigurationException("Dkim:Selector", "is required when a DKIM private key is configured.");
        }
        var domain = string.IsNullOrWhiteSpace(options.Domain) ? fromDomain : options.Domain.Trim();
        var (key, pem) = KeyText(options, contentRoot);
        try
        {
            using var stream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(pem));
            _signer = new DkimSigner(stream, domain, options.Selector.Trim(), DkimSignatureAlgorithm.RsaSha256)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IOException
                                      or Org.BouncyCastle.Security.SecurityUtilityException or Org.BouncyCastle.Crypto.CryptoException)
        {
            throw new ConfigurationException(key, $"is not an RSA private key in PEM form ({e.Message}).");
        }
    }

    public OutgoingMessage Sign(OutgoingMessage message)
    {
        var parsed = message.ToMimeMessage();
        parsed.Prepare(EncodingConstraint.SevenBit);
        _signer.Sign(WireFormat.Options, parsed, SignedHeaders);
        using var stream = new MemoryStream(message.Head.Length + message.Body.Length + 1024);
        parsed.WriteTo(WireFormat.Options, stream);
        var bytes = stream.GetBuffer().AsSpan(0, (int)stream.Length);
        var end = bytes.IndexOf("\r\n\r\n"u8);
        return new OutgoingMessage(bytes[..(end + 2)].ToArray(), bytes[(end + 4)..].ToArray(), message.From, message.To, message.MessageId);
    }

    private static (string Key, string Pem) KeyText(DkimOptions options, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            return ("Dkim:PrivateKey", options.PrivateKey);
        }
        var path = Path.GetFullPath(options.PrivateKeyFile!, contentRoot);
        try
        {
            return ("Dkim:PrivateKeyFile", File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException("Dkim:PrivateKeyFile", $"cannot be read: {e.Message}");
        }
    }
}
