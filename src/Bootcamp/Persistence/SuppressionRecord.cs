namespace Bootcamp.Persistence;

/// <summary>An address never to be mailed again, kept only as a keyed HMAC of its lower-cased form.</summary>
public sealed class SuppressionRecord
{
    public required string AddressHash { get; set; }
    public required string Reason { get; set; }
    public DateTime CreatedAt { get; set; }
}
