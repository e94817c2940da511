namespace Bootcamp.Domain;

/// <summary>
/// The mailbox an address is delivered to, as far as its provider is known to ignore parts of it: what the
/// sign-up limits count by, so that <c>victim+1@gmail.com</c>, <c>v.ictim@gmail.com</c> and <c>VICTIM@GMAIL.COM</c>
/// are one person's inbox and share one budget. Only ever used as a counting key (hashed); the address an
/// enrollment is stored and mailed under stays as typed.
/// </summary>
public static class NormalizedAddress
{
    /// <summary>
    /// Providers that deliver <c>a.b.c@</c> to <c>abc@</c>: dots in the local part are decoration there, so
    /// an attacker can mint thousands of "different" addresses for one inbox by placing dots. Listed here
    /// only where the provider documents it (Gmail: "Dots don't matter in Gmail addresses"); elsewhere a dot
    /// can be a different person. Each maps to the provider's canonical domain (googlemail.com is Gmail's
    /// older name for the same mailboxes).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> DotInsensitiveProviders = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["gmail.com"] = "gmail.com",
        ["googlemail.com"] = "gmail.com",
    };

    public static string Of(string address)
    {
        var key = EmailAddress.Key(address);
        var at = key.LastIndexOf('@');
        if (at <= 0)
        {
            return key;
        }
        var local = key[..at];
        var domain = key[(at + 1)..];
        // Sub-addressing (RFC 5233 "+detail"): the big providers and most servers deliver it to the base
        // mailbox. Counted by the base everywhere; a provider without it loses nothing but a little budget.
        var plus = local.IndexOf('+');
        if (plus > 0)
        {
            local = local[..plus];
        }
        if (DotInsensitiveProviders.TryGetValue(domain, out var canonical))
        {
            local = local.Replace(".", string.Empty, StringComparison.Ordinal);
            domain = canonical;
        }
        return $"{local}@{domain}";
    }

    /// <summary>The domain mail to <paramref name="address"/> goes to, as the per-domain limit counts it.</summary>
    public static string DomainOf(string address)
    {
        var normalized = Of(address);
        return normalized[(normalized.LastIndexOf('@') + 1)..];
    }
}
