using System.Net;
using Bootcamp.Operations;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace Bootcamp.Security;

/// <summary>
/// Behind a reverse proxy the connection's address is the proxy's and its scheme plain http. X-Forwarded-For and
/// X-Forwarded-Proto say who the client is and whether they came over https, but anyone can send those headers:
/// they are read only from the proxies named in Forwarding:KnownProxies, and from nobody when it is empty.
/// </summary>
public static class ProxyForwarding
{
    public const string Key = "Forwarding:KnownProxies";

    public static WebApplicationBuilder AddProxyForwarding(this WebApplicationBuilder builder)
    {
        // Read here, not when the first request comes: a bad entry stops start-up.
        var (proxies, networks) = Parse(builder.Configuration[Key]);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback out of the box; here only what the operator named is trusted.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // still consulted beside KnownIPNetworks, and it too holds 127.0.0.0/8 by default
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(proxy);
            }
            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }
            // A chain of trusted proxies (a CDN, then nginx) is walked back to the first address none of them is.
            o.ForwardLimit = null;
        });
        return builder;
    }

    /// <summary>
    /// Only when some proxy is named: ASP.NET's middleware with empty lists believes every peer's headers.
    /// </summary>
    public static IApplicationBuilder UseProxyForwarding(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value is { KnownProxies.Count: 0, KnownIPNetworks.Count: 0 }
            ? app
            : app.UseForwardedHeaders();

    /// <summary>Comma-separated IP addresses and CIDR ranges; empty trusts no one.</summary>
    public static (IReadOnlyList<IPAddress> Proxies, IReadOnlyList<IPNetwork> Networks) Parse(string? value)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var entry in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/'))
            {
                // TryParse takes 10.0.0.1/8 as 10.0.0.0/8; an operator who wrote it may have meant something else.
                networks.Add(IPNetwork.TryParse(entry, out var network) && network.ToString() == NormalAddress(entry)
                    ? network
                    : throw new ConfigurationException(Key, $"'{entry}' is not a CIDR range such as 10.0.0.0/8 (no bits set past the prefix)."));
            }
            else
            {
                proxies.Add(IsAddress(entry, out var address)
                    ? address
                    : throw new ConfigurationException(Key, $"'{entry}' is not an IP address such as 10.0.0.5 or a CIDR range such as 10.0.0.0/8."));
            }
        }
        return (proxies, networks);
    }

    private static string NormalAddress(string cidr)
    {
        var slash = cidr.IndexOf('/');
        return IPAddress.TryParse(cidr.AsSpan(0, slash), out var address) ? $"{address}{cidr[slash..]}" : cidr;
    }

    // IPAddress.TryParse also takes "10" or "10.1" as shorthand; an operator writing those has made a mistake.
    private static bool IsAddress(string entry, out IPAddress address) =>
        IPAddress.TryParse(entry, out address!) && (entry.Contains(':') || entry.Count(c => c == '.') == 3);
}

