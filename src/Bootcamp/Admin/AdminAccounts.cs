using System.Security.Cryptography;
using Bootcamp.Admin.Accounts;
using Bootcamp.Domain;
using Bootcamp.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bootcamp.Admin;

/// <summary>What setting an account's password did.</summary>
public enum AccountChange
{
    Created,
    Updated,
}

/// <summary>A sign-in's result: the account, or null for every kind of failure alike (the log tells a lock-out apart).</summary>
public sealed record SignInAttempt(AdminAccount? Account, bool LockedOut);

/// <summary>Admin accounts: salted hashes (PasswordHasher), roles, sign-in with a lock-out per address and client.</summary>
public sealed class AdminAccounts(BootcampDb db, IPasswordHasher<AdminAccount> hasher, SignInLockout lockout, IOptions<AdminOptions> options, TimeProvider time)
{
    // Verified when the address is unknown or locked out, so every failure costs as long as a wrong password.
    private static readonly string DummyHash = new PasswordHasher<AdminAccount>().HashPassword(null!, "not-a-password");

    /// <summary>Unknown address, locked out, wrong password: the same work, and the caller answers all three alike.</summary>
    public async Task<SignInAttempt> SignInAsync(string email, string password, string clientKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var key = KeyOf(email);
        var account = await db.Admins.AsNoTracking().FirstOrDefaultAsync(a => a.Email == key, cancellationToken);
        if (await lockout.IsLockedAsync(key, clientKey, now, cancellationToken))
        {
            VerifyDummy(password);
            return new SignInAttempt(null, LockedOut: true);
        }
        var verdict = account is null
            ? VerifyDummy(password)
            : hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (account is null || verdict == PasswordVerificationResult.Failed)
        {
            await lockout.RecordFailureAsync(key, clientKey, now, cancellationToken);
            return new SignInAttempt(null, LockedOut: false);
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var rehashed = hasher.HashPassword(account, password);
            await db.Admins.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.PasswordHash, rehashed), cancellationToken);
        }
        await lockout.ClearAsync(key, clientKey, cancellationToken);
        return new SignInAttempt(account, LockedOut: false);
    }

    /// <summary>Creates or updates the account named by Admin:Email / Admin:Password, as an operator; stores only the hash.</summary>
    public async Task EnsureConfiguredAccountAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value;
        if (string.IsNullOrWhiteSpace(configured.Email) || string.IsNullOrEmpty(configured.Password))
        {
            return;
        }
        try
        {
            await SetAsync(configured.Email, configured.Password, AdminRoles.Operator, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another process starting at the same moment created it.
        }
    }

    /// <summary>
    /// Creates the account, or gives an existing one this password and role (its sessions end: a new password
    /// is how a lost or shared one is taken back).
    /// </summary>
    public async Task<AccountChange> SetAsync(string email, string password, string role, CancellationToken cancellationToken)
    {
        var key = KeyOf(email);
        var account = await db.Admins.FirstOrDefaultAsync(a => a.Email == key, cancellationToken);
        var change = AccountChange.Updated;
        if (account is null)
        {
            account = new AdminAccount { Email = key, PasswordHash = "", Role = role, SecurityStamp = "", CreatedAt = time.GetUtcNow().UtcDateTime };
            db.Admins.Add(account);
            change = AccountChange.Created;
        }
        if (change == AccountChange.Created || hasher.VerifyHashedPassword(account, account.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            account.PasswordHash = hasher.HashPassword(account, password);
            account.SecurityStamp = NewStamp();
        }
        account.Role = role;
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await lockout.ClearAllAsync(key, cancellationToken);
        return change;
    }

    /// <summary>Null when <paramref name="current"/> is not the account's password. Every other session of the account ends.</summary>
    public async Task<AdminAccount?> ChangePasswordAsync(long id, string current, string next, CancellationToken cancellationToken)
    {
        var account = await db.Admins.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null || hasher.VerifyHashedPassword(account, account.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            return null;
        }
        account.PasswordHash = hasher.HashPassword(account, next);
        account.SecurityStamp = NewStamp();
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return account;
    }

    public Task<List<AdminAccount>> ListAsync(CancellationToken cancellationToken) =>
        db.Admins.AsNoTracking().OrderBy(a => a.Email).ToListAsync(cancellationToken);

    public Task<AdminAccount?> FindAsync(long id, CancellationToken cancellationToken) =>
        db.Admins.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);

    /// <summary>Whether another operator than <paramref name="id"/> would remain: the last one is never removed or demoted.</summary>
    public Task<bool> AnotherOperatorExistsAsync(long id, CancellationToken cancellationToken) =>
        db.Admins.AnyAsync(a => a.Id != id && a.Role == AdminRoles.Operator, cancellationToken);

    /// <summary>Removes the account; its sessions end at their next request (nothing is left to match their stamp).</summary>
    public async Task<bool> RemoveAsync(long id, CancellationToken cancellationToken) =>
        await db.Admins.Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;

    public async Task<bool> SetRoleAsync(long id, string role, CancellationToken cancellationToken) =>
        await db.Admins.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Role, role), cancellationToken) > 0;

    /// <summary>The key an admin is found by. Longer input than an address may be is cut, never refused: every failure answers alike.</summary>
    public static string KeyOf(string email)
    {
        var key = EmailAddress.Key(email);
        return key.Length > EmailAddress.MaxLength ? key[..EmailAddress.MaxLength] : key;
    }

    private PasswordVerificationResult VerifyDummy(string password)
    {
        hasher.VerifyHashedPassword(null!, DummyHash, password);
        return PasswordVerificationResult.Failed;
    }

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
