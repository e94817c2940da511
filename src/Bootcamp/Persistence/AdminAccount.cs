namespace Bootcamp.Persistence;

public sealed class AdminAccount
{
    public long Id { get; set; }
    public required string Email { get; set; }
    public required string PasswordHash { get; set; }

    /// <summary><c>viewer</c> or <c>operator</c> (see <see cref="Admin.Accounts.AdminRoles"/>).</summary>
    public required string Role { get; set; }

    /// <summary>
    /// Changes whenever a session of this admin must end (a new password): every request compares the one in its
    /// cookie with this, so the change takes effect at the next request, on every process.
    /// </summary>
    public required string SecurityStamp { get; set; }

    public DateTime CreatedAt { get; set; }
}
