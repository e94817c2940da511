namespace Bootcamp.Persistence;

public sealed class AdminAccount
{
    public long Id { get; set; }
    public required string Email { get; set; }
    public required string PasswordHash { get; set; }
    public int FailedSignIns { get; set; }
    public DateTime? LockedUntil { get; set; }
}
