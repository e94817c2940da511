namespace Bootcamp.Persistence;

/// <summary>
/// Confirmations sent to one normalised address (or one destination domain) in the current window, shared by
/// every process on the database. Keyed by a keyed HMAC: the table never holds an address in clear.
/// </summary>
public sealed class SignupCounter
{
    public required string KeyHash { get; set; }
    public DateTime WindowStartedAt { get; set; }
    public int Confirmations { get; set; }
}
