namespace Bootcamp.Persistence;

/// <summary>
/// Failed sign-ins for one address from one client (see <see cref="Security.ClientKey"/>), known admin or not.
/// A lock-out is per row: an attacker guessing from one place locks only that place out, never the real admin
/// signing in from another.
/// </summary>
public sealed class SignInFailures
{
    public required string EmailKey { get; set; }
    public required string ClientKey { get; set; }
    public int Failures { get; set; }
    public DateTime LastFailureAt { get; set; }
    public DateTime? LockedUntil { get; set; }
}
