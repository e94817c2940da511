namespace Bootcamp.Delivery;

/// <summary>
/// DKIM signing (RFC 6376) of every message, when a private key is configured. The public key goes in DNS
/// as a TXT record at <c>{Selector}._domainkey.{Domain}</c>; mailbox providers require DKIM aligned with
/// the From domain for bulk mail.
/// </summary>
public sealed class DkimOptions
{
    public const string Section = "Dkim";

    /// <summary>The selector naming the DNS record that holds the public key.</summary>
    public string? Selector { get; set; }

    /// <summary>The signing domain (d=); empty: the domain of <c>Campaign:From</c>.</summary>
    public string? Domain { get; set; }

    /// <summary>A PEM file holding the RSA private key, relative to the content root.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>The PEM text itself, for secret stores that hand over values rather than files.</summary>
    public string? PrivateKey { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(PrivateKeyFile) || !string.IsNullOrWhiteSpace(PrivateKey);
}
