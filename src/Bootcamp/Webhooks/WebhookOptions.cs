namespace Bootcamp.Webhooks;

/// <summary>Outgoing webhooks (contract "Additions"): where course events go, signed as Standard Webhooks says.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    public List<WebhookEndpointOptions> Endpoints { get; set; } = [];

    /// <summary>Waits between attempts after a failure; after the last the event is given up. Together at least 24 hours.</summary>
    public string RetryDelays { get; set; } = "00:00:05,00:05:00,00:30:00,02:00:00,05:00:00,10:00:00,10:00:00";

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan[] ParsedRetryDelays() => [.. RetryDelays.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(d => TimeSpan.Parse(d, System.Globalization.CultureInfo.InvariantCulture))];
}

public sealed class WebhookEndpointOptions
{
    public string Url { get; set; } = "";

    /// <summary><c>whsec_</c> and the key in base64, as Standard Webhooks writes it.</summary>
    public string Secret { get; set; } = "";

    /// <summary>Comma-separated event types; empty: all.</summary>
    public string Events { get; set; } = "";

    public IReadOnlyList<string> EventTypes(IReadOnlyList<string> all) =>
        string.IsNullOrWhiteSpace(Events) ? all : [.. Events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
