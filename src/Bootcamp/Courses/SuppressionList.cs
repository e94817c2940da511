using Bootcamp.Domain;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Courses;

/// <summary>Addresses never to be mailed again, by keyed hash only.</summary>
public sealed class SuppressionList(BootcampDb db, AddressHasher hasher, TimeProvider time)
{
    /// <summary>Which of these addresses are suppressed, in one look-up.</summary>
    public async Task<HashSet<string>> SuppressedAmongAsync(IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        // Under every hashing key: a suppression made before a key rotation still matches.
        var byHash = addresses.Distinct(StringComparer.OrdinalIgnoreCase)
            .SelectMany(a => hasher.Hashes(a).Select(h => (Hash: h, Address: a)))
            .ToDictionary(x => x.Hash, x => x.Address);
        var hashes = byHash.Keys.ToArray();
        var found = await db.Suppressions.Where(s => hashes.Contains(s.AddressHash)).Select(s => s.AddressHash).ToListAsync(cancellationToken);
        return found.Select(h => byHash[h]).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Why and since when the address is suppressed (under any hashing key), or null.</summary>
    public async Task<(string Reason, DateTime Since)?> FindAsync(string address, CancellationToken cancellationToken)
    {
        var hashes = hasher.Hashes(address);
        var found = await db.Suppressions.AsNoTracking().Where(s => hashes.Contains(s.AddressHash))
            .OrderBy(s => s.CreatedAt).Select(s => new { s.Reason, s.CreatedAt }).FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Reason, DateTime.SpecifyKind(found.CreatedAt, DateTimeKind.Utc));
    }

    public async Task SuppressAsync(string address, string reason, CancellationToken cancellationToken)
    {
        if (address == CourseRecord.ForgottenAddress)
        {
            // A late report about a course already forgotten: no address is left to suppress.
            return;
        }
        var hash = hasher.Hash(address);
        var hashes = hasher.Hashes(address);
        if (await db.Suppressions.AnyAsync(s => hashes.Contains(s.AddressHash), cancellationToken))
        {
            return;
        }
        db.Suppressions.Add(new SuppressionRecord { AddressHash = hash, Reason = reason, CreatedAt = time.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Suppressed concurrently by another job: the entry exists, which is all that matters.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
