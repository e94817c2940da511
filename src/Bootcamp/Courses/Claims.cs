using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Courses;

/// <summary>How the dispatcher claims work of any kind (lessons, finished notes, webhook deliveries).</summary>
public static class Claims
{
    /// <summary>
    /// Up to <paramref name="limit"/> ids: first those taken over (their owner's heartbeat stopped, or the claim
    /// outlived its lease: their readers have waited longest), then due ones. Both statements take @p0 = now,
    /// @p1 = the lease cutoff (reclaim) or now (claim), @p2 = how many, @p3 = this owner, @p4 = the heartbeat
    /// cutoff below which an owner is gone.
    /// </summary>
    public static async Task<long[]> ReclaimThenClaimDueAsync(
        this BootcampDb db, string reclaim, string claimDue, DateTime now, DateTime leaseCutoff, int limit, ClaimOwner owner, CancellationToken cancellationToken,
        long[]? sendingHere = null)
    {
        var gone = now - ClaimOwner.DeadAfter;
        object[] reclaimParameters = sendingHere is null
            ? Parameters(db, now, leaseCutoff, limit, owner, gone)
            : [.. Parameters(db, now, leaseCutoff, limit, owner, gone), db.Parameter("p6", now - ClaimOwner.HeartbeatInterval),
               db.IsPostgres ? db.Parameter("p7", sendingHere) : db.Parameter("p7", $",{string.Join(',', sendingHere)},")];
        var reclaimed = await db.Database.SqlQueryRaw<long>(reclaim, reclaimParameters).ToListAsync(cancellationToken);
        var due = await db.Database.SqlQueryRaw<long>(claimDue, Parameters(db, now, now, limit - reclaimed.Count, owner, gone)).ToListAsync(cancellationToken);
        return [.. reclaimed, .. due];
    }

    /// <summary>
    /// The SQL condition "this claim may be taken over", for a row whose claim time is <paramref name="claimedAt"/>
    /// and owner <paramref name="claimedBy"/>: past the lease, or held by an owner other than this one whose
    /// heartbeat is older than @p4 (or gone).
    /// </summary>
    /// <remarks>
    /// Also a claim not yet taken by a sender (<paramref name="notYetTaken"/>) older than @p5, whoever holds it:
    /// its job was lost or failed (a database outage under a living process), and taking it again is safe, since
    /// only one sender's conditional take can win it.
    /// </remarks>
    public static string TakenOver(string claimedAt, string claimedBy, string notYetTaken) =>
        $"({claimedAt} < @p1 OR ({notYetTaken} AND {claimedAt} < @p5)"
        + $" OR ({claimedBy} IS NOT NULL AND {claimedBy} <> @p3 AND NOT EXISTS (SELECT 1 FROM workers AS w WHERE w.id = {claimedBy} AND w.heartbeat_at >= @p4)))";

    /// <summary>A claim no sender has taken for this long is dispatched again.</summary>
    public static readonly TimeSpan UntakenAfter = TimeSpan.FromSeconds(60);

    private static object[] Parameters(BootcampDb db, DateTime now, DateTime cutoff, int limit, ClaimOwner owner, DateTime gone) =>
        [db.Parameter("p0", now), db.Parameter("p1", cutoff), db.Parameter("p2", limit), db.Parameter("p3", owner.Id), db.Parameter("p4", gone),
         db.Parameter("p5", now - UntakenAfter)];
}
