using Bootcamp.Courses;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Webhooks;

/// <summary>An event of a claimed delivery, with what signing and sending it needs.</summary>
public sealed record WebhookToSend(long Id, string Endpoint, long EventId, long EnrollmentId, string Type, int? Day, DateTime OccurredAt, int Attempts);

/// <summary>
/// Webhook deliveries in the record: planned from the outbox per endpoint, claimed in batches (one enrollment's
/// events strictly in order), and their results. Every change conditional, as lessons' are.
/// </summary>
public sealed class WebhookStore(BootcampDb db, ClaimOwner owner)
{
    // Events planned per endpoint and tick: a backlog drains over a few ticks.
    internal const int FanOutLimit = 5000;

    /// <summary>
    /// The highest outbox id below which every event is committed. PostgreSQL: writers hold the outbox lock
    /// shared until they commit, so taking it alone waits for those in flight; SQLite has one writer at a time,
    /// so the last committed id is such a point already.
    /// </summary>
    public async Task<long> SafeHorizonAsync(CancellationToken cancellationToken)
    {
        if (!db.IsPostgres)
        {
            return await db.Outbox.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.OutboxWriters})", cancellationToken);
        var horizon = await db.Outbox.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        await transaction.CommitAsync(cancellationToken);
        return horizon;
    }

    /// <summary>
    /// Plans a delivery to <paramref name="endpoint"/> for each event of <paramref name="types"/> after its
    /// cursor, up to <paramref name="horizon"/>. A new endpoint starts at the horizon: it hears what happens
    /// from now on. Running it twice, or in two processes, plans nothing twice.
    /// </summary>
    /// <returns>How many deliveries it planned.</returns>
    public async Task<int> FanOutAsync(string endpoint, IReadOnlyCollection<string> types, long horizon, DateTime now, CancellationToken cancellationToken)
    {
        var cursor = await db.WebhookCursors.AsNoTracking().Where(c => c.Endpoint == endpoint).Select(c => (long?)c.LastEventId).FirstOrDefaultAsync(cancellationToken);
        if (cursor is null)
        {
            await db.Database.ExecuteSqlRawAsync("INSERT INTO webhook_cursors (endpoint, last_event_id) VALUES (@e, @h) ON CONFLICT (endpoint) DO NOTHING",
                [db.Parameter("e", endpoint), db.Parameter("h", horizon)], cancellationToken);
            return 0;
        }
        if (horizon <= cursor)
        {
            return 0;
        }
        var from = cursor.Value;
        var events = await db.Outbox.AsNoTracking()
            .Where(e => e.Id > from && e.Id <= horizon)
            .OrderBy(e => e.Id).Take(FanOutLimit)
            .Select(e => new { e.Id, e.EnrollmentId, e.Type })
            .ToListAsync(cancellationToken);
        var reached = events.Count == FanOutLimit ? events[^1].Id : horizon;
        var wanted = events.Where(e => types.Contains(e.Type)).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var chunk in wanted.Chunk(500))
        {
            List<object> parameters = [db.Parameter("endpoint", endpoint), db.Parameter("now", now)];
            var rows = new List<string>(chunk.Length);
            foreach (var e in chunk)
            {
                var i = rows.Count;
                parameters.Add(db.Parameter($"v{i}", e.Id));
                parameters.Add(db.Parameter($"r{i}", e.EnrollmentId));
                rows.Add($"(@endpoint, @v{i}, @r{i}, 'Scheduled', 0, @now)");
            }
            // Only parameter names go into the statement; every value travels as a parameter.
            var sql = "INSERT INTO webhook_deliveries (endpoint, event_id, enrollment_id, state, attempts, due_at) VALUES "
                + string.Join(", ", rows) + " ON CONFLICT (endpoint, event_id) DO NOTHING";
            await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
        }
        await db.WebhookCursors.Where(c => c.Endpoint == endpoint && c.LastEventId < reached)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastEventId, reached), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return wanted.Count;
    }

    /// <summary>Claims due deliveries, each only when no earlier event of its enrollment is still on its way to that endpoint.</summary>
    public Task<long[]> ClaimDueAsync(DateTime now, DateTime leaseCutoff, int limit, CancellationToken cancellationToken) =>
        db.ReclaimThenClaimDueAsync(db.IsPostgres ? ClaimPostgres : ClaimSqlite, now, leaseCutoff, limit, owner, cancellationToken);

    private static string Reclaim(string takenOver, string lockRows) => $"""
        UPDATE webhook_deliveries SET claimed_at = @p0, claimed_by = @p3
        WHERE id IN (SELECT id FROM webhook_deliveries WHERE state = 'Claimed' AND claimed_at IS NOT NULL
                     AND {takenOver}
                     ORDER BY event_id LIMIT @p2 {lockRows})
        RETURNING id AS "Value"
        """;

    private static string ClaimDue(string lockRows) => $"""
        UPDATE webhook_deliveries SET state = 'Claimed', claimed_at = @p0, claimed_by = @p3
        WHERE id IN (SELECT d.id FROM webhook_deliveries AS d WHERE d.state = 'Scheduled' AND d.due_at <= @p1
                     AND NOT EXISTS (SELECT 1 FROM webhook_deliveries AS p WHERE p.endpoint = d.endpoint AND p.enrollment_id = d.enrollment_id
                                     AND p.event_id < d.event_id AND p.state IN ('Scheduled', 'Claimed'))
                     ORDER BY d.event_id LIMIT @p2 {lockRows})
        RETURNING id AS "Value"
        """;

    private const string SkipLocked = "FOR UPDATE SKIP LOCKED";
    private static readonly ClaimStatements ClaimSqlite = Statements(""), ClaimPostgres = Statements(SkipLocked);

    private static ClaimStatements Statements(string lockRows) => Claims.Statements(Reclaim, ClaimDue, lockRows,
        "webhook_deliveries.claimed_at", "webhook_deliveries.claimed_by", "webhook_deliveries.state = 'Claimed'");

    public Task<List<WebhookToSend>> LoadClaimedAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        (from d in db.WebhookDeliveries.AsNoTracking()
         join e in db.Outbox.AsNoTracking() on d.EventId equals e.Id
         where ids.Contains(d.Id) && d.State == WebhookState.Claimed
         orderby d.EventId
         select new WebhookToSend(d.Id, d.Endpoint, d.EventId, d.EnrollmentId, e.Type, e.Day, e.OccurredAt, d.Attempts))
        .ToListAsync(cancellationToken);

    /// <summary>How long delivered or given-up deliveries, and outbox events every endpoint has planned, are kept.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(30);

    /// <summary>
    /// Forgets what is older than <see cref="KeptFor"/>: finished deliveries, and outbox events that every
    /// configured endpoint's cursor has passed (all of them when none is configured). The cursor of an endpoint
    /// no longer configured goes, so it cannot hold the outbox back for ever. A few thousand rows a step, by id,
    /// so it needs no index beyond the keys.
    /// </summary>
    /// <returns>How many rows went.</returns>
    public async Task<int> PruneAsync(DateTime now, IReadOnlyCollection<string> endpoints, CancellationToken cancellationToken)
    {
        var before = now - KeptFor;
        await db.WebhookCursors.Where(c => !endpoints.Contains(c.Endpoint)).ExecuteDeleteAsync(cancellationToken);
        var removed = await db.WebhookDeliveries
            .Where(d => (d.State == WebhookState.Delivered || d.State == WebhookState.Failed) && d.DueAt < before)
            .ExecuteDeleteAsync(cancellationToken);
        var planned = await db.WebhookCursors.MinAsync(c => (long?)c.LastEventId, cancellationToken) ?? long.MaxValue;
        while (true)
        {
            var old = await db.Outbox.OrderBy(e => e.Id).Where(e => e.Id <= planned).Take(5000)
                .Where(e => e.OccurredAt < before).Select(e => e.Id).ToListAsync(cancellationToken);
            if (old.Count == 0)
            {
                return removed;
            }
            var last = old[^1];
            removed += await db.Outbox.Where(e => e.Id <= last && e.OccurredAt < before).ExecuteDeleteAsync(cancellationToken);
            if (old.Count < 5000)
            {
                return removed;
            }
        }
    }

    public Task<int> MarkDeliveredAsync(long id, DateTime now, CancellationToken cancellationToken) =>
        db.WebhookDeliveries.Where(d => d.Id == id && d.State == WebhookState.Claimed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, WebhookState.Delivered)
                .SetProperty(d => d.DeliveredAt, now)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1)
                .SetProperty(d => d.LastError, (string?)null), cancellationToken);

    /// <summary>A failed attempt: due again at <paramref name="next"/>, or given up when that is null.</summary>
    public Task<int> RecordFailureAsync(long id, DateTime? next, string error, CancellationToken cancellationToken) =>
        db.WebhookDeliveries.Where(d => d.Id == id && d.State == WebhookState.Claimed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, next is null ? WebhookState.Failed : WebhookState.Scheduled)
                .SetProperty(d => d.DueAt, d => next ?? d.DueAt)
                .SetProperty(d => d.ClaimedAt, (DateTime?)null)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1)
                .SetProperty(d => d.LastError, DeliveryError.Fit(error)), cancellationToken);
}
