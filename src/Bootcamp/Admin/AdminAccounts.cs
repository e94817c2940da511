using Bootcamp.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bootcamp.Admin;

public enum SignInResult
{
    Success,
    Failed,
    LockedOut,
}

/// <summary>The admin account: salted hashes (PasswordHasher), and a lock after repeated failures.</summary>
public sealed class AdminAccounts(BootcampDb db, IPasswordHasher<AdminAccount> hasher, IOptions<AdminOptions> options, TimeProvider time)
{
    // Verified when the address is unknown, so a wrong address costs as long as a wrong password.
    private static readonly string DummyHash = new PasswordHasher<AdminAccount>().HashPassword(null!, "not-a-password");

    public async Task<SignInResult> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var key = email.Trim().ToLowerInvariant();
        var account = await db.Admins.FirstOrDefaultAsync(a => a.Email == key, cancellationToken);
        if (account is null)
        {
            hasher.VerifyHashedPassword(null!, DummyHash, password);
            return SignInResult.Failed;
        }
        if (account.LockedUntil is { } until && until > now)
        {
            return SignInResult.LockedOut;
        }
        var verdict = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            account.FailedSignIns++;
            if (account.FailedSignIns >= options.Value.MaxFailedSignIns)
            {
                account.LockedUntil = now + options.Value.LockoutDuration;
                account.FailedSignIns = 0;
            }
            await db.SaveChangesAsync(cancellationToken);
            return account.LockedUntil > now ? SignInResult.LockedOut : SignInResult.Failed;
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = hasher.HashPassword(account, password);
        }
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        return SignInResult.Success;
    }

    /// <summary>Creates or updates the account named by Admin:Email / Admin:Password; stores only the hash.</summary>
    public async Task EnsureConfiguredAccountAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value;
        if (string.IsNullOrWhiteSpace(configured.Email) || string.IsNullOrEmpty(configured.Password))
        {
            return;
        }
        var key = configured.Email.Trim().ToLowerInvariant();
        var account = await db.Admins.FirstOrDefaultAsync(a => a.Email == key, cancellationToken);
        if (account is null)
        {
            account = new AdminAccount { Email = key, PasswordHash = string.Empty };
            account.PasswordHash = hasher.HashPassword(account, configured.Password);
            db.Admins.Add(account);
        }
        else if (hasher.VerifyHashedPassword(account, account.PasswordHash, configured.Password) == PasswordVerificationResult.Failed)
        {
            account.PasswordHash = hasher.HashPassword(account, configured.Password);
            account.FailedSignIns = 0;
            account.LockedUntil = null;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another process starting at the same moment created it.
        }
    }
}
