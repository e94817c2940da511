namespace Bootcamp.Domain;

public enum OpenKind
{
    Human,
    /// <summary>A privacy proxy or scanner fetched the image; nobody necessarily read anything.</summary>
    Machine,
}

/// <summary>Tells machine opens (Apple Mail Privacy Protection, Gmail's image proxy, scanners) from people.</summary>
public static class OpenClassifier
{
    // Agents that fetch images for everyone, or scan mail, rather than show it to a person.
    private static readonly string[] MachineAgentMarkers =
    [
        "GoogleImageProxy",
        "YahooMailProxy",
        "Barracuda",
        "Mimecast",
        "Proofpoint",
        "python-requests",
        "curl/",
        "Go-http-client",
        "bot",
        "spider",
        "crawler",
    ];

    public static OpenKind Classify(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return OpenKind.Machine;
        }
        // Apple Mail Privacy Protection fetches with exactly this agent and nothing more.
        if (userAgent == "Mozilla/5.0")
        {
            return OpenKind.Machine;
        }
        foreach (var marker in MachineAgentMarkers)
        {
            if (userAgent.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return OpenKind.Machine;
            }
        }
        return OpenKind.Human;
    }

    /// <summary>Link scanners (Safe Links, Proofpoint, Mimecast) follow every link; their clicks are not counted.</summary>
    public static bool IsScannerAgent(string? userAgent) =>
        string.IsNullOrWhiteSpace(userAgent) || Classify(userAgent) == OpenKind.Machine && userAgent != "Mozilla/5.0";
}
