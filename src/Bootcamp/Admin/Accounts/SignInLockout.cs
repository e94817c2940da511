using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bootcamp.Admin.Accounts;

/// <summary>
/// Failed sign-ins per address and client, counted in one SQL statement each so parallel guesses all count.
/// After <see cref="AdminOptions.MaxFailedSignIns"/>, that client is locked out for that address, for
/// <see cref="AdminOptions.LockoutDuration"/> doubling with every further failure up to
/// <see cref="AdminOptions.MaxLockoutDuration"/>. Other clients, the real admin's among them, are not.
/// </summary>
public sealed class SignInLockout(BootcampDb db, IOptions<AdminOptions> options)
{
    private readonly AdminOptions _options = options.Value;

    public Task<bool> IsLockedAsync(string emailKey, string clientKey, DateTime now, CancellationToken cancellationToken) =>
        db.SignInFailures.AnyAsync(f => f.EmailKey == emailKey && f.ClientKey == clientKey && f.LockedUntil > now, cancellationToken);

    /// <summary>Counts one failure; returns the count (since the last success, or since failures were forgotten).</summary>
    public async Task<int> RecordFailureAsync(string emailKey, string clientKey, DateTime now, CancellationToken cancellationToken)
    {
        var forgetBefore = now - _options.MaxLockoutDuration;
        await db.SignInFailures.Where(f => f.LastFailureAt < forgetBefore).ExecuteDeleteAsync(cancellationToken);
        // One statement: the increment happens in the database, so two requests never both write "n + 1".
        const string sql = """
            INSERT INTO sign_in_failures (email_key, client_key, failures, last_failure_at, locked_until)
            VALUES (@key, @client, 1, @now, NULL)
            ON CONFLICT (email_key, client_key) DO UPDATE SET
                failures = CASE WHEN sign_in_failures.last_failure_at < @forget THEN 1 ELSE sign_in_failures.failures + 1 END,
                last_failure_at = @now
            RETURNING failures AS "Value"
            """;
        var failures = (await db.Database.SqlQueryRaw<int>(sql,
                db.Parameter("key", emailKey), db.Parameter("client", clientKey), db.Parameter("now", now), db.Parameter("forget", forgetBefore))
            .ToListAsync(cancellationToken)).Single();
        if (LockFor(_options, failures) is { } lockout)
        {
            var until = now + lockout;
            // A longer lock set by a parallel failure stays.
            await db.SignInFailures
                .Where(f => f.EmailKey == emailKey && f.ClientKey == clientKey && (f.LockedUntil == null || f.LockedUntil < until))
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.LockedUntil, until), cancellationToken);
        }
        return failures;
    }

    public Task ClearAsync(string emailKey, string clientKey, CancellationToken cancellationToken) =>
        db.SignInFailures.Where(f => f.EmailKey == emailKey && f.ClientKey == clientKey).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Every lock-out of an address, from every client: its password was just set by someone entitled to.</summary>
    public Task ClearAllAsync(string emailKey, CancellationToken cancellationToken) =>
        db.SignInFailures.Where(f => f.EmailKey == emailKey).ExecuteDeleteAsync(cancellationToken);

    /// <summary>The lock-out after the <paramref name="failures"/>th failure, or null below the threshold.</summary>
    public static TimeSpan? LockFor(AdminOptions options, int failures)
    {
        var beyond = failures - options.MaxFailedSignIns;
        if (beyond < 0)
        {
            return null;
        }
        var ticks = options.LockoutDuration.Ticks * Math.Pow(2, Math.Min(beyond, 40));
        return ticks >= options.MaxLockoutDuration.Ticks ? options.MaxLockoutDuration : TimeSpan.FromTicks((long)ticks);
    }
}
