using Bootcamp.Operations;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace Bootcamp.Delivery;

/// <summary>
/// Signs messages with MimeKit's <see cref="DkimSigner"/> when <c>Dkim:*</c> has a key, with the key of the
/// message's From domain. A prepared message is read back into MimeKit's model, made 7-bit (it already is),
/// signed last as MimeKit asks, and written again in the same wire form, with the DKIM-Signature header first.
/// </summary>
public sealed class MessageSigner
{
    // What the signature covers: everything a reader or a filter judges the message by, including the
    // one-click unsubscribe pair, which Gmail and Yahoo want signed.
    private static readonly string[] SignedHeaders =
        ["From", "To", "Subject", "Date", "Message-Id", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "MIME-Version", "Content-Type"];

    private readonly Dictionary<string, DkimSigner> _byDomain = new(StringComparer.OrdinalIgnoreCase);

    // The single-domain key (Dkim:Selector, Dkim:PrivateKeyFile, …): signs for any From domain without its own.
    private readonly DkimSigner? _fallback;

    public MessageSigner(IOptions<DkimOptions> dkim, Senders senders, IHostEnvironment environment)
        : this(dkim.Value, [("Campaign:From", senders.From.Domain), ("Campaign:DiscreetFrom", senders.DiscreetFrom.Domain)], environment.ContentRootPath)
    {
    }

    internal MessageSigner(DkimOptions options, string fromDomain, string contentRoot)
        : this(options, [("Campaign:From", fromDomain)], contentRoot)
    {
    }

    /// <param name="senders">Each From domain mail is sent from, with the key that sets it: each must have a key.</param>
    internal MessageSigner(DkimOptions options, IReadOnlyList<(string Key, string Domain)> senders, string contentRoot)
    {
        for (var i = 0; i < options.Domains.Count; i++)
        {
            var entry = options.Domains[i];
            var prefix = $"Dkim:Domains:{i}";
            if (string.IsNullOrWhiteSpace(entry.Domain))
            {
                throw new ConfigurationException($"{prefix}:Domain", "is required: the From domain this key signs for.");
            }
            var domain = entry.Domain.Trim();
            if (_byDomain.ContainsKey(domain))
            {
                throw new ConfigurationException($"{prefix}:Domain", $"'{domain}' has a key already; give each domain one entry.");
            }
            _byDomain[domain] = Create(prefix, domain, entry.Selector, entry.PrivateKey, entry.PrivateKeyFile, contentRoot);
        }
        if (options.HasSingleKey)
        {
            var domain = string.IsNullOrWhiteSpace(options.Domain) ? senders[0].Domain : options.Domain.Trim();
            _fallback = Create("Dkim", domain, options.Selector, options.PrivateKey, options.PrivateKeyFile, contentRoot);
        }
        foreach (var (key, domain) in senders)
        {
            if (_fallback is null && !_byDomain.ContainsKey(domain))
            {
                throw new ConfigurationException("Dkim:Domains",
                    $"has no key for {domain}, the domain of {key}: add an entry for it (or Dkim:PrivateKeyFile to sign it with one key).");
            }
        }
    }

    public OutgoingMessage Sign(OutgoingMessage message)
    {
        var signer = _byDomain.GetValueOrDefault(message.From.Domain) ?? _fallback
            ?? throw new InvalidOperationException($"No DKIM key for {message.From.Domain}; start-up checks every sender has one.");
        var parsed = message.ToMimeMessage();
        parsed.Prepare(EncodingConstraint.SevenBit);
        signer.Sign(WireFormat.Options, parsed, SignedHeaders);
        using var stream = new MemoryStream(message.Head.Length + message.Body.Length + 1024);
        parsed.WriteTo(WireFormat.Options, stream);
        var bytes = stream.GetBuffer().AsSpan(0, (int)stream.Length);
        var end = bytes.IndexOf("\r\n\r\n"u8);
        return new OutgoingMessage(bytes[..(end + 2)].ToArray(), bytes[(end + 4)..].ToArray(), message.From, message.To, message.MessageId);
    }

    /// <param name="prefix">The configuration section the key came from, for the start-up error naming it.</param>
    private static DkimSigner Create(string prefix, string domain, string? selector, string? privateKey, string? privateKeyFile, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            throw new ConfigurationException($"{prefix}:Selector", "is required when a DKIM private key is configured.");
        }
        var (key, pem) = KeyText(prefix, privateKey, privateKeyFile, contentRoot);
        try
        {
            using var stream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(pem));
            return new DkimSigner(stream, domain, selector.Trim(), DkimSignatureAlgorithm.RsaSha256)
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

    private static (string Key, string Pem) KeyText(string prefix, string? privateKey, string? privateKeyFile, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(privateKey))
        {
            return ($"{prefix}:PrivateKey", privateKey);
        }
        if (string.IsNullOrWhiteSpace(privateKeyFile))
        {
            throw new ConfigurationException($"{prefix}:PrivateKeyFile", "is required: the PEM file of this domain's RSA private key (or the PEM text in :PrivateKey).");
        }
        var path = Path.GetFullPath(privateKeyFile, contentRoot);
        try
        {
            return ($"{prefix}:PrivateKeyFile", File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{prefix}:PrivateKeyFile", $"cannot be read: {e.Message}");
        }
    }
}
