using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Bootcamp.Courses;

/// <summary>
/// The statements a store claims its work with: take over claims that expired, take over the claims of owners
/// that are gone, claim due work. Each reads @p0 = now, @p1 = the lease cutoff (expired) or now (due), @p2 = how
/// many, @p3 = this owner, @p4 = the heartbeat cutoff below which an owner is gone, @p5 = the cutoff for claims
/// no sender took, @p6 = the later of @p1 and @p5.
/// </summary>
public sealed record ClaimStatements(string Expired, string FromGoneOwners, string Due);

/// <summary>How the dispatcher claims work of any kind (lessons, finished notes, webhook deliveries).</summary>
public static class Claims
{
    /// <summary>
    /// A store's <see cref="ClaimStatements"/>: <paramref name="reclaim"/> makes a take-over statement from a
    /// condition on the claim and the row-locking clause, <paramref name="claimDue"/> the claim of due work from
    /// the row-locking clause. The claim's columns are <paramref name="claimedAt"/> and <paramref name="claimedBy"/>;
    /// <paramref name="notYetTaken"/> is true of a claim no sender has taken yet.
    /// </summary>
    public static ClaimStatements Statements(
        Func<string, string, string> reclaim, Func<string, string> claimDue, string lockRows, string claimedAt, string claimedBy, string notYetTaken) =>
        new(reclaim(Expired(claimedAt, notYetTaken), lockRows), reclaim(OwnerGone(claimedBy), lockRows), claimDue(lockRows));

    /// <summary>
    /// Up to <paramref name="limit"/> ids: first those taken over (their claim expired, or their owner's heartbeat
    /// stopped: their readers have waited longest), then due ones.
    /// </summary>
    public static async Task<long[]> ReclaimThenClaimDueAsync(
        this BootcampDb db, ClaimStatements statements, DateTime now, DateTime leaseCutoff, int limit, ClaimOwner owner, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }
        var gone = now - ClaimOwner.DeadAfter;
        List<long> ids = [.. await QueryAsync(statements.Expired, leaseCutoff, limit)];
        // Asked first, of the few rows of workers: the take-over of gone owners' claims reads every claim, and
        // on a normal day nobody is gone, so it never runs.
        if (ids.Count < limit && await db.Workers.AnyAsync(w => w.HeartbeatAt < gone && w.Id != owner.Id, cancellationToken))
        {
            ids.AddRange(await QueryAsync(statements.FromGoneOwners, leaseCutoff, limit - ids.Count));
        }
        if (ids.Count < limit)
        {
            ids.AddRange(await QueryAsync(statements.Due, now, limit - ids.Count));
        }
        return [.. ids];

        Task<List<long>> QueryAsync(string sql, DateTime cutoff, int count)
        {
            var untaken = now - UntakenAfter;
            object[] parameters =
            [
                db.Parameter("p0", now), db.Parameter("p1", cutoff), db.Parameter("p2", count), db.Parameter("p3", owner.Id),
                db.Parameter("p4", gone), db.Parameter("p5", untaken), db.Parameter("p6", cutoff > untaken ? cutoff : untaken),
            ];
            // PostgreSQL: a claim moves rows between states the overview does not count (due, claimed, taken), so the
            // lessons' counter trigger, which would join the claim's old and new rows to add zeros, steps aside for it.
            // pg_stat_statements: the trigger was most of an empty take-over's time, run on every dispatch.
            if (db.IsPostgres)
            {
                var claim = new NpgsqlBatchCommand(sql);
                claim.Parameters.AddRange(parameters);
                return UncountedBatch.RunAsync(db, [claim], cancellationToken);
            }
            return db.Database.SqlQueryRaw<long>(sql, parameters).ToListAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The claim outlived its lease (before @p1), or no sender took it (<paramref name="notYetTaken"/>) within
    /// <see cref="UntakenAfter"/> (before @p5): its job was lost or failed (a database outage under a living
    /// process), and taking it again is safe, since only one sender's conditional take can win it.
    /// </summary>
    /// <remarks>
    /// The bound on @p6 repeats the two: it makes the scan a range of the claims index, the few old claims,
    /// instead of every claim in flight (a burst's thousands, read on every dispatch).
    /// </remarks>
    private static string Expired(string claimedAt, string notYetTaken) =>
        $"{claimedAt} < @p6 AND ({claimedAt} < @p1 OR ({notYetTaken} AND {claimedAt} < @p5))";

    /// <summary>
    /// Held by another owner whose heartbeat is older than @p4: it died, or stopped and said so
    /// (<see cref="ClaimOwnerHeartbeat"/>). An owner with no heartbeat on record at all (its first write failed)
    /// counts as alive: its claims wait for the lease rather than be taken from a process that may be running.
    /// </summary>
    private static string OwnerGone(string claimedBy) =>
        $"{claimedBy} IN (SELECT w.id FROM workers AS w WHERE w.heartbeat_at < @p4 AND w.id <> @p3)";

    /// <summary>A claim no sender has taken for this long is dispatched again.</summary>
    public static readonly TimeSpan UntakenAfter = TimeSpan.FromSeconds(60);
}
