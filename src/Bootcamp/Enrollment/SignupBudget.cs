using Bootcamp.Domain;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bootcamp.Enrollment;

/// <summary>
/// The sign-up limits by destination: confirmations per normalised address (and, when configured, per
/// destination domain) per <see cref="RateLimitOptions.SignupWindow"/>, counted in <c>signup_counters</c> so
/// that every process on the database spends from one budget.
/// </summary>
/// <remarks>
/// Every sign-up writes its counters, whether it sends or not (it adds 0 then): the statements a sign-up runs,
/// and the commit they end in, are the same for every outcome, so its answer time says nothing about the address.
/// </remarks>
public sealed class SignupBudget(BootcampDb db, AddressHasher hasher, IOptions<RateLimitOptions> options)
{
    private const string Sql = """
        INSERT INTO signup_counters (key_hash, window_started_at, confirmations) VALUES (@key, @now, @add)
        ON CONFLICT (key_hash) DO UPDATE SET
            confirmations = CASE WHEN signup_counters.window_started_at <= @window_start THEN @add
                                 ELSE signup_counters.confirmations + @add END,
            window_started_at = CASE WHEN signup_counters.window_started_at <= @window_start THEN @now
                                     ELSE signup_counters.window_started_at END
        RETURNING confirmations AS "Value"
        """;

    /// <summary>
    /// Counts one confirmation to <paramref name="address"/> when <paramref name="sending"/> (else counts nothing,
    /// with the same statements); false when that goes beyond a limit, and then nothing may be sent.
    /// </summary>
    public async Task<bool> SpendAsync(string address, bool sending, DateTime now, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var within = await CountAsync(hasher.CounterKey("address", NormalizedAddress.Of(address)), sending, now, cancellationToken)
                     <= Limit(limits.ConfirmationsPerAddressPerDay);
        if (limits.ConfirmationsPerDomainPerDay > 0)
        {
            within &= await CountAsync(hasher.CounterKey("domain", NormalizedAddress.DomainOf(address)), sending, now, cancellationToken)
                      <= limits.ConfirmationsPerDomainPerDay;
        }
        return within;
    }

    /// <summary>Forgets counters whose window has ended (housekeeping).</summary>
    public Task<int> PruneAsync(DateTime now, CancellationToken cancellationToken)
    {
        var ended = now - RateLimitOptions.SignupWindow;
        return db.SignupCounters.Where(c => c.WindowStartedAt <= ended).ExecuteDeleteAsync(cancellationToken);
    }

    private static int Limit(int configured) => configured <= 0 ? int.MaxValue : configured;

    private async Task<int> CountAsync(string keyHash, bool sending, DateTime now, CancellationToken cancellationToken) =>
        (await db.Database.SqlQueryRaw<int>(Sql,
            db.Parameter("key", keyHash),
            db.Parameter("now", now),
            db.Parameter("window_start", now - RateLimitOptions.SignupWindow),
            db.Parameter("add", sending ? 1 : 0)).ToListAsync(cancellationToken)).Single();
}
