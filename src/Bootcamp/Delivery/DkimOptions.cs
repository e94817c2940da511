namespace Bootcamp.Delivery;

/// <summary>
/// DKIM signing (RFC 6376) of every message, when a private key is configured. The public key goes in DNS
/// as a TXT record at <c>{Selector}._domainkey.{Domain}</c>; mailbox providers require DKIM aligned with
/// the From domain for bulk mail.
/// </summary>
/// <remarks>
/// One key per From domain (<see cref="Domains"/>): the discreet sender may live on a domain of its own, and mail
/// from it signed with the course's domain would name the course in every receiving server's view of it (and fail
/// DMARC alignment). The single-domain keys (<see cref="Selector"/>, <see cref="PrivateKeyFile"/>, …) still work,
/// and sign for any From domain that has no entry of its own.
/// </remarks>
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

    /// <summary>A key per From domain (<c>Dkim:Domains:N:Domain</c>, <c>:Selector</c>, <c>:PrivateKeyFile</c> or <c>:PrivateKey</c>).</summary>
    public List<DkimDomainOptions> Domains { get; set; } = [];

    public bool HasSingleKey => !string.IsNullOrWhiteSpace(PrivateKeyFile) || !string.IsNullOrWhiteSpace(PrivateKey);

    public bool Enabled => HasSingleKey || Domains.Count > 0;
}

/// <summary>One From domain's DKIM key: mail whose From is at <see cref="Domain"/> is signed with d=<see cref="Domain"/>.</summary>
public sealed class DkimDomainOptions
{
    public string? Domain { get; set; }

    public string? Selector { get; set; }

    public string? PrivateKeyFile { get; set; }

    public string? PrivateKey { get; set; }
}
