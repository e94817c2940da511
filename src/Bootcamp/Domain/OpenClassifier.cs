using System.Buffers;
using System.Net;

namespace Bootcamp.Domain;

public enum OpenKind
{
    Human,
    /// <summary>A privacy proxy or scanner fetched the image; nobody necessarily read anything.</summary>
    Machine,
}

/// <summary>
/// Tells machine opens (Apple Mail Privacy Protection, security scanners) from people, and scanner
/// clicks from people's. Pure: the endpoints hand it what the request showed.
/// </summary>
public static class OpenClassifier
{
    // Apple owns 17.0.0.0/8; Mail Privacy Protection's prefetches come from its relays.
    private static readonly IPNetwork[] AppleRelays = [IPNetwork.Parse("17.0.0.0/8")];

    // Prefetches by Apple's relays arrive within moments of delivery; a person is rarely that quick.
    public static readonly TimeSpan PrefetchWindow = TimeSpan.FromSeconds(60);

    // Agents that scan mail or fetch for a gateway rather than show it to a person. Searched for all at
    // once, ignoring case, in one pass over the agent: the pixel asks on every request.
    private static readonly SearchValues<string> ScannerMarkers = SearchValues.Create(
    [
        "Barracuda", "Mimecast", "Proofpoint", "ppops", "MessageLabs", "Symantec", "Trend Micro", "TrendMicro",
        "Forcepoint", "Cisco", "IronPort", "FireEye", "SafeLinks", "Sophos", "Zscaler",
        "python-requests", "python-urllib", "curl/", "Wget", "Go-http-client", "okhttp", "Java/", "libwww-perl",
        "HeadlessChrome", "PhantomJS", "bot", "spider", "crawler", "preview",
    ], StringComparison.OrdinalIgnoreCase);

    public static OpenKind Classify(string? userAgent, IPAddress? client = null, TimeSpan? sinceDelivery = null)
    {
        if (string.IsNullOrWhiteSpace(userAgent) || IsScannerAgent(userAgent))
        {
            return OpenKind.Machine;
        }
        // Apple Mail Privacy Protection fetches with exactly this agent and nothing more.
        if (userAgent == "Mozilla/5.0")
        {
            return OpenKind.Machine;
        }
        if (client is not null && IsAppleRelay(client) && sinceDelivery is { } since && since < PrefetchWindow)
        {
            return OpenKind.Machine;
        }
        // GoogleImageProxy is left human on purpose: Gmail fetches through it when a person opens the
        // message (then caches it), not on delivery.
        return OpenKind.Human;
    }

    /// <summary>Link scanners follow links with HEAD or announce themselves; their clicks are not counted.</summary>
    public static bool IsScannerClick(string method, string? userAgent) =>
        string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase)
        || string.IsNullOrWhiteSpace(userAgent)
        || IsScannerAgent(userAgent);

    public static bool IsScannerAgent(string? userAgent) =>
        string.IsNullOrWhiteSpace(userAgent) || userAgent.AsSpan().ContainsAny(ScannerMarkers);

    private static bool IsAppleRelay(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var network in AppleRelays)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }
}
