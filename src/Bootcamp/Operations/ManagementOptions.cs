namespace Bootcamp.Operations;

/// <summary>The second listener, for monitoring: /metrics lives only there.</summary>
public sealed class ManagementOptions
{
    public const string Section = "Management";

    /// <summary>Semicolon-separated URLs, each with its own port; empty serves no /metrics at all.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:9464";
}
