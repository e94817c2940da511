using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Courses;

/// <summary>How the dispatcher claims work of any kind (lessons, finished notes).</summary>
public static class Claims
{
    /// <summary>
    /// Up to <paramref name="limit"/> ids: first those whose claim outlived its lease (their readers have
    /// waited longest), then due ones. Both statements take @p0 = now, @p1 = a cutoff, @p2 = how many.
    /// </summary>
    public static async Task<long[]> ReclaimThenClaimDueAsync(
        this BootcampDb db, string reclaim, string claimDue, DateTime now, DateTime leaseCutoff, int limit, CancellationToken cancellationToken)
    {
        var reclaimed = await db.Database.SqlQueryRaw<long>(reclaim, db.Parameters(now, leaseCutoff, limit)).ToListAsync(cancellationToken);
        var due = await db.Database.SqlQueryRaw<long>(claimDue, db.Parameters(now, now, limit - reclaimed.Count)).ToListAsync(cancellationToken);
        return [.. reclaimed, .. due];
    }
}
