namespace Bootcamp.Delivery;

public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Comma-separated waits between attempts after a transient failure; after the last, the lesson fails.</summary>
    public string RetryDelays { get; set; } = "00:01:00,00:05:00,00:30:00,02:00:00,06:00:00";

    /// <summary>How often the dispatcher looks for due lessons.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lessons per batch job: one SMTP connection sends a batch.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>A claim older than this with no result is dispatched again (the executor lost it).</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan[] ParsedRetryDelays() => ParseDelays(RetryDelays);

    public static TimeSpan[] ParseDelays(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }
        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var delays = new TimeSpan[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            // A bare "30" would parse as thirty days; a wait must be written as a time span.
            if (!parts[i].Contains(':', StringComparison.Ordinal) || !TimeSpan.TryParse(parts[i], System.Globalization.CultureInfo.InvariantCulture, out delays[i]) || delays[i] < TimeSpan.Zero)
            {
                throw new FormatException($"'{parts[i]}' is not a wait such as 00:05:00");
            }
        }
        return delays;
    }
}
