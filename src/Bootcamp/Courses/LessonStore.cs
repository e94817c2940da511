using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Persistence;
using Bootcamp.Persistence.Migrations;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Bootcamp.Courses;

/// <summary>
/// What a chunk delivered: the lessons to mark sent with the mail server's answer to each (<paramref name="Replies"/>,
/// in the order of <paramref name="LessonIds"/>), and the courses they may have ended, each with its "you finished" note's time.
/// </summary>
public sealed record SentChunk(long[] LessonIds, string?[] Replies, IReadOnlyList<(long EnrollmentId, DateTime? FinishedNoteDue)> Ending)
{
    public SentChunk(long[] lessonIds, IReadOnlyList<(long EnrollmentId, DateTime? FinishedNoteDue)> ending) : this(lessonIds, new string?[lessonIds.Length], ending)
    {
    }
}

/// <summary>What a take writes with a lesson: the content links its click tokens point at (one per line) and its Message-ID.</summary>
public sealed record LessonTake(long LessonId, string? Links, string MessageId)
{
    public static LessonTake Of(long lessonId, IReadOnlyList<string> links, string messageId) =>
        new(lessonId, links.Count == 0 ? null : string.Join('\n', links), messageId);
}

/// <summary>
/// Every state change of a lesson, each one conditional, so that a retried, duplicated or concurrent
/// job never sends twice: whoever's update matched the row owns the next step.
/// </summary>
public sealed class LessonStore(BootcampDb db, ClaimOwner owner)
{
    // What this store's sender took.
    private readonly List<long> _taking = [];

    /// <summary>
    /// Claims up to <paramref name="limit"/> due lessons, and lessons taken over: this process's own that its
    /// sender abandoned, those whose owner's heartbeat stopped, or whose claim outlived its lease.
    /// </summary>
    public async Task<long[]> ClaimDueAsync(DateTime now, DateTime leaseCutoff, int limit, CancellationToken cancellationToken)
    {
        var abandoned = await ReclaimAbandonedAsync(now, cancellationToken);
        var rest = await db.ReclaimThenClaimDueAsync(db.IsPostgres ? ClaimPostgres : ClaimSqlite, now, leaseCutoff, limit - abandoned.Count, owner, cancellationToken);
        return [.. abandoned, .. rest];
    }

    /// <summary>
    /// The sender died (a database error, say) after taking lessons it may not have recorded: they go back to
    /// its process's dispatcher now, by id, instead of waiting out the lease under a living heartbeat. One
    /// sent but not yet recorded goes out again under the same Message-ID: at most the chunk in flight.
    /// </summary>
    public void AbandonTaken() => owner.Abandon(_taking);

    private async Task<List<long>> ReclaimAbandonedAsync(DateTime now, CancellationToken cancellationToken)
    {
        var abandoned = owner.Abandoned;
        if (abandoned.Length == 0)
        {
            return [];
        }
        var ids = db.IsPostgres ? db.Parameter("ids", abandoned) : db.Parameter("ids", System.Text.Json.JsonSerializer.Serialize(abandoned));
        var reclaimed = await db.Database.SqlQueryRaw<long>(db.IsPostgres ? ReclaimAbandonedPostgres : ReclaimAbandonedSqlite,
            [db.Parameter("now", now), db.Parameter("owner", owner.Id), ids]).ToListAsync(cancellationToken);
        owner.Forget(abandoned);
        return reclaimed;
    }

    private static string ReclaimAbandoned(string inIds) => $"""
        UPDATE lessons SET state = 'Claimed', claimed_at = @now
        WHERE id {inIds} AND state = 'Sending' AND claimed_by = @owner
        RETURNING id AS "Value"
        """;

    private static readonly string ReclaimAbandonedPostgres = ReclaimAbandoned("= ANY(@ids)"),
        ReclaimAbandonedSqlite = ReclaimAbandoned("IN (SELECT value FROM json_each(@ids))");

    /// <summary>
    /// The due time of the oldest lesson that is due and not yet sent (waiting, claimed or being sent), or null:
    /// what a stalled reader looks like from outside. Each half reads one partial index.
    /// </summary>
    public async Task<DateTime?> OldestDueAsync(DateTime now, CancellationToken cancellationToken)
    {
        var waiting = await db.Lessons.Where(l => l.State == LessonState.Scheduled && l.DueAt <= now)
            .MinAsync(l => (DateTime?)l.DueAt, cancellationToken);
        var inFlight = await db.Lessons.Where(l => (l.State == LessonState.Claimed || l.State == LessonState.Sending) && l.ClaimedAt != null)
            .MinAsync(l => (DateTime?)l.DueAt, cancellationToken);
        return waiting is null ? inFlight : inFlight is null ? waiting : waiting < inFlight ? waiting : inFlight;
    }

    private static string Reclaim(string takenOver, string lockRows) => $"""
        UPDATE lessons SET state = 'Claimed', claimed_at = @p0, claimed_by = @p3
        WHERE id IN (SELECT id FROM lessons WHERE state IN ('Claimed', 'Sending') AND claimed_at IS NOT NULL
                     AND {takenOver}
                     ORDER BY claimed_at LIMIT @p2 {lockRows})
        RETURNING id AS "Value"
        """;

    // A lesson waits while the one before it is still on its way (retrying after a 4xx): in order, always.
    private static readonly string OnItsWay = LessonStates.Sql(LessonStates.OnItsWay);

    private static string ClaimDue(string lockRows) => $"""
        UPDATE lessons SET state = 'Claimed', claimed_at = @p0, claimed_by = @p3
        WHERE id IN (SELECT id FROM lessons WHERE state = 'Scheduled' AND due_at <= @p1
                     AND NOT EXISTS (SELECT 1 FROM lessons p WHERE p.enrollment_id = lessons.enrollment_id AND p.day = lessons.day - 1 AND p.state IN {OnItsWay})
                     ORDER BY due_at LIMIT @p2 {lockRows})
        RETURNING id AS "Value"
        """;

    // PostgreSQL: several dispatchers (one per process) skip each other's rows instead of queueing on them.
    private const string SkipLocked = "FOR UPDATE SKIP LOCKED";
    private static readonly ClaimStatements ClaimSqlite = Statements(""), ClaimPostgres = Statements(SkipLocked);

    private static ClaimStatements Statements(string lockRows) =>
        Claims.Statements(Reclaim, ClaimDue, lockRows, "lessons.claimed_at", "lessons.claimed_by", "lessons.state = 'Claimed'");

    private static readonly string Take = $"""
        UPDATE lessons SET state = 'Sending', claimed_at = @p0, claimed_by = @p4, links = @p1, message_id = @p2
        WHERE id = @p3 AND state = 'Claimed'
          AND EXISTS (SELECT 1 FROM enrollments AS e WHERE e.id = lessons.enrollment_id AND e.status = '{EnrollmentRules.MaySendLessons}')
        """;

    // One statement for a whole chunk: a statement per lesson cost more than building the lesson did
    // (the round trip, and the stats trigger that runs once per statement). In the batch of RecordThenTakeAsync.
    private static readonly string TakePostgres = $"""
        UPDATE lessons AS l SET state = 'Sending', claimed_at = @p0, claimed_by = @p4, links = t.links, message_id = t.message_id
        FROM unnest(@p1::bigint[], @p2::text[], @p3::text[]) AS t(id, links, message_id)
        WHERE l.id = t.id AND l.state = 'Claimed'
          AND EXISTS (SELECT 1 FROM enrollments AS e WHERE e.id = l.enrollment_id AND e.status = '{EnrollmentRules.MaySendLessons}')
        RETURNING l.id AS "Value"
        """;

    // SQLite's: each lesson with its server's answer by a CASE over the chunk's ids.
    private const string MarkSentSqlite = """
        UPDATE lessons SET state = 'Sent', sent_at = @p0, attempts = attempts + 1, last_error = NULL, smtp_reply = {0}
        WHERE id {1} AND state = 'Sending'
        RETURNING enrollment_id, day
        """;

    // The lessons with their answers, their counts on the overview and their lesson.sent events in one statement
    // (the batch turns the counter trigger off for it).
    private static readonly string MarkSentPostgres = Outbox.WithEvents("""
        UPDATE lessons AS l SET state = 'Sent', sent_at = @p0, attempts = l.attempts + 1, last_error = NULL, smtp_reply = r.reply
        FROM unnest(@p1::bigint[], @p2::text[]) AS r(id, reply)
        WHERE l.id = r.id AND l.state = 'Sending'
        RETURNING l.enrollment_id, l.day
        """, CourseEvents.LessonSent, "@p0", OverviewTriggers.SentCountedInline("changed", "@p0"));

    public Task<List<LessonToSend>> LoadClaimedAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        db.Lessons.AsNoTracking()
            .Where(l => ids.Contains(l.Id) && l.State == LessonState.Claimed)
            .OrderBy(l => l.DueAt)
            .Select(ToSend)
            .ToListAsync(cancellationToken);

    /// <summary>A lesson row with its reader, as the composer takes it.</summary>
    internal static readonly System.Linq.Expressions.Expression<Func<LessonRecord, LessonToSend>> ToSend = l =>
        new LessonToSend(l.Id, l.Day, l.Attempts, l.EnrollmentId, l.Enrollment!.Email, l.Enrollment.FirstName, l.Enrollment.TimeZone, l.Enrollment.Discreet, l.Enrollment.NoTracking, l.Enrollment.SoftBounces, l.Enrollment.SendAt, l.Enrollment.Stage);

    /// <summary>
    /// Records what the last chunk delivered, then takes the next chunk: the last look at the record before
    /// talking to SMTP. It takes the lessons that are still claimed and whose enrollment is still active, so
    /// an unsubscribe a moment earlier wins; the chunk is sent straight after, so that moment is one chunk's
    /// sending (milliseconds). The record comes first, so a crash resends at most the chunk being sent.
    /// </summary>
    /// <returns>The ids taken; only these may be sent.</returns>
    public async Task<HashSet<long>> RecordThenTakeAsync(SentChunk sent, IReadOnlyList<LessonTake> next, DateTime now, CancellationToken cancellationToken)
    {
        // Before the take: if its answer is lost, the lessons are still known as this sender's (AbandonTaken).
        _taking.AddRange(next.Select(l => l.LessonId));
        // A server's answer is free text of any length: kept redacted and within the column.
        sent = sent with { Replies = [.. sent.Replies.Select(r => r is null ? null : SmtpReply.Fit(r))] };
        HashSet<long> taken;
        if (db.IsPostgres)
        {
            taken = await RecordThenTakePostgresAsync(sent, next, now, cancellationToken);
        }
        else
        {
            // SQLite runs in this process: no round trip to save, one transaction makes the chunk one journal write.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await MarkSentSqliteAsync(sent, now, cancellationToken);
            await FinishIfDoneAsync(sent.Ending, now, cancellationToken);
            taken = await TakeSqliteAsync(next, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (taken.Count < next.Count)
        {
            await ReturnNotTakenAsync([.. next.Select(l => l.LessonId).Where(id => !taken.Contains(id))], cancellationToken);
        }
        return taken;
    }

    // PostgreSQL: the three statements of a chunk (mark sent, end finished courses, take the next) in one
    // round trip and one transaction, in that order, so the end of a course sees its last lesson sent.
    // Three round trips and commits per chunk had cost PostgreSQL more CPU than the rows did. Plain SQL on
    // the hot path: EF's ExecuteUpdate re-processes its expression tree on every call.
    private async Task<HashSet<long>> RecordThenTakePostgresAsync(SentChunk sent, IReadOnlyList<LessonTake> next, DateTime now, CancellationToken cancellationToken)
    {
        if (sent.LessonIds.Length == 0 && next.Count == 0)
        {
            return [];
        }
        // The take counts nothing; the mark sent and the end of courses count themselves.
        List<NpgsqlBatchCommand> commands = [];
        if (sent.LessonIds.Length > 0 || sent.Ending.Count > 0)
        {
            commands.Add(new NpgsqlBatchCommand(Outbox.HoldWritersLock));
        }
        if (sent.LessonIds.Length > 0)
        {
            commands.Add(UncountedBatch.Command(MarkSentPostgres, now, sent.LessonIds, sent.Replies));
        }
        if (sent.Ending.Count > 0)
        {
            commands.Add(UncountedBatch.Command(FinishIfDonePostgres, now, sent.Ending.Select(c => c.EnrollmentId).ToArray(), sent.Ending.Select(c => c.FinishedNoteDue).ToArray()));
        }
        if (next.Count > 0)
        {
            commands.Add(UncountedBatch.Command(TakePostgres, now, next.Select(l => l.LessonId).ToArray(), next.Select(l => l.Links).ToArray(), next.Select(l => l.MessageId).ToArray(), owner.Id));
        }
        // Only the take returns ids.
        return [.. await UncountedBatch.RunAsync(db, commands, cancellationToken, genericPlans: true)];
    }

    /// <summary>
    /// Claimed, but their course stopped or paused meanwhile: a paused reader's lessons go back to wait for
    /// the resume; a stopped one's will never go out.
    /// </summary>
    private async Task ReturnNotTakenAsync(long[] notTaken, CancellationToken cancellationToken)
    {
        await db.Lessons
            .Where(l => notTaken.Contains(l.Id) && l.State == LessonState.Claimed && l.Enrollment!.Status == EnrollmentStatus.Paused)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Held).SetProperty(l => l.ClaimedAt, (DateTime?)null), cancellationToken);
        await db.Lessons
            .Where(l => notTaken.Contains(l.Id) && l.State == LessonState.Claimed && !EnrollmentRules.Running.Contains(l.Enrollment!.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Skipped), cancellationToken);
    }

    // A statement per lesson costs SQLite no round trip; the caller's transaction holds them together.
    private async Task<HashSet<long>> TakeSqliteAsync(IReadOnlyList<LessonTake> lessons, DateTime now, CancellationToken cancellationToken)
    {
        HashSet<long> taken = [];
        foreach (var lesson in lessons)
        {
            if (await db.Database.ExecuteSqlRawAsync(Take,
                    [db.Parameter("p0", now), db.Parameter("p1", (object?)lesson.Links ?? DBNull.Value), db.Parameter("p2", lesson.MessageId), db.Parameter("p3", lesson.LessonId), db.Parameter("p4", owner.Id)],
                    cancellationToken) == 1)
            {
                taken.Add(lesson.LessonId);
            }
        }
        return taken;
    }

    private async Task MarkSentSqliteAsync(SentChunk sent, DateTime now, CancellationToken cancellationToken)
    {
        var lessonIds = sent.LessonIds;
        if (lessonIds.Length == 0)
        {
            return;
        }
        List<object> parameters = [db.Parameter("p0", now), .. lessonIds.Select((id, i) => (object)db.Parameter($"id{i}", id)),
            .. sent.Replies.Select((reply, i) => (object)db.Parameter($"r{i}", (object?)reply ?? DBNull.Value))];
        var replies = $"CASE id {string.Join(" ", lessonIds.Select((_, i) => $"WHEN @id{i} THEN @r{i}"))} END";
        var sql = string.Format(MarkSentSqlite, replies, $"IN ({string.Join(", ", lessonIds.Select((_, i) => $"@id{i}"))})");
        var changed = await db.Database.SqlQueryRaw<ChangedRow>(sql, [.. parameters]).ToListAsync(cancellationToken);
        await db.AppendAsync([.. changed.Select(c => (c.EnrollmentId, c.Day))], CourseEvents.LessonSent, now, cancellationToken);
    }

    /// <summary>A lesson taken for sending that will not go out after all (its address bounced moments earlier).</summary>
    public Task SkipTakenAsync(long lessonId, CancellationToken cancellationToken) =>
        db.Lessons.Where(l => l.Id == lessonId && l.State == LessonState.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Skipped), cancellationToken);

    /// <summary>A lesson that could not even be built (a template error): it fails rather than loop through leases.</summary>
    public Task FailClaimedAsync(long lessonId, string error, CancellationToken cancellationToken) =>
        db.Lessons.Where(l => l.Id == lessonId && l.State == LessonState.Claimed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.State, LessonState.Failed)
                .SetProperty(l => l.LastError, DeliveryError.Fit(error)), cancellationToken);

    public Task RescheduleAsync(long lessonId, DateTime dueAt, string error, CancellationToken cancellationToken) =>
        db.Lessons.Where(l => l.Id == lessonId && l.State == LessonState.Sending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.State, LessonState.Scheduled)
                .SetProperty(l => l.DueAt, dueAt)
                .SetProperty(l => l.ClaimedAt, (DateTime?)null)
                .SetProperty(l => l.Attempts, l => l.Attempts + 1)
                .SetProperty(l => l.LastError, DeliveryError.Fit(error)), cancellationToken);

    public Task FailAsync(long lessonId, string error, CancellationToken cancellationToken) =>
        db.Lessons.Where(l => l.Id == lessonId && l.State == LessonState.Sending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.State, LessonState.Failed)
                .SetProperty(l => l.Attempts, l => l.Attempts + 1)
                .SetProperty(l => l.LastError, DeliveryError.Fit(error)), cancellationToken);

    /// <summary>
    /// Ends the campaign once no lesson is left to send and, in the same statement, plans the "you finished"
    /// note for <paramref name="finishedNoteDue"/> (null: none) when all seven lessons were delivered: not
    /// after a lesson that failed for good. One statement, so a crash cannot finish a course without its note.
    /// </summary>
    /// <returns>Whether the course finished now.</returns>
    public async Task<bool> FinishIfDoneAsync(long enrollmentId, DateTime now, DateTime? finishedNoteDue, CancellationToken cancellationToken)
    {
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var finished = await FinishOneAsync(enrollmentId, now, finishedNoteDue, cancellationToken) == 1;
        if (finished)
        {
            await db.AppendAsync(enrollmentId, CourseEvents.Finished, null, now, cancellationToken);
        }
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return finished;
    }

    private Task<int> FinishOneAsync(long enrollmentId, DateTime now, DateTime? finishedNoteDue, CancellationToken cancellationToken) =>
        db.Enrollments
            .Where(e => e.Id == enrollmentId && e.Status == EnrollmentRules.MaySendLessons
                        && !e.Lessons.Any(l => LessonStates.OnItsWay.Contains(l.State)))
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(e => e.Status, EnrollmentStatus.Finished).SetProperty(e => e.FinishedAt, now);
                if (finishedNoteDue is { } due)
                {
                    s.SetProperty(e => e.FinishedNoteDueAt, e => e.Lessons.Count(l => l.State == LessonState.Sent) == Campaign.LessonCount ? due : null)
                        .SetProperty(e => e.FinishedNoteState, e => e.Lessons.Count(l => l.State == LessonState.Sent) == Campaign.LessonCount ? LessonState.Scheduled : null);
                }
            }, cancellationToken);

    /// <summary>
    /// <see cref="FinishIfDoneAsync(long, DateTime, DateTime?, CancellationToken)"/> for every course a chunk
    /// may have ended, each with its own note time (its reader's zone). PostgreSQL: one statement for them all.
    /// </summary>
    public async Task FinishIfDoneAsync(IReadOnlyList<(long EnrollmentId, DateTime? FinishedNoteDue)> courses, DateTime now, CancellationToken cancellationToken)
    {
        if (courses.Count == 0)
        {
            return;
        }
        if (!db.IsPostgres)
        {
            // SQLite is in this process: no round trip to save, so the one-course statement serves.
            foreach (var (enrollmentId, noteDue) in courses)
            {
                await FinishIfDoneAsync(enrollmentId, now, noteDue, cancellationToken);
            }
            return;
        }
        // Alone (not in a chunk's batch): it counts itself, so the triggers step aside for it.
        await UncountedBatch.RunAsync(db,
            [new NpgsqlBatchCommand(Outbox.HoldWritersLock), UncountedBatch.Command(FinishIfDonePostgres, now, courses.Select(c => c.EnrollmentId).ToArray(), courses.Select(c => c.FinishedNoteDue).ToArray())],
            cancellationToken);
    }

    // The statement EF makes of FinishIfDoneAsync(one course), over a list of courses with their note times,
    // with each finished course's event and its counts (run with the counter triggers stepped aside).
    private static readonly string FinishIfDonePostgres = Outbox.WithEvents($"""
        UPDATE enrollments AS e SET status = 'Finished', finished_at = @p0,
          finished_note_due_at = CASE WHEN c.note_due IS NULL THEN e.finished_note_due_at
                                      WHEN (SELECT count(*) FROM lessons AS l WHERE l.enrollment_id = e.id AND l.state = 'Sent') = {Campaign.LessonCount} THEN c.note_due END,
          finished_note_state = CASE WHEN c.note_due IS NULL THEN e.finished_note_state
                                     WHEN (SELECT count(*) FROM lessons AS l WHERE l.enrollment_id = e.id AND l.state = 'Sent') = {Campaign.LessonCount} THEN 'Scheduled' END
        FROM unnest(@p1::bigint[], @p2::timestamptz[]) AS c(id, note_due)
        WHERE e.id = c.id AND e.status = '{EnrollmentRules.MaySendLessons}'
          AND NOT EXISTS (SELECT 1 FROM lessons AS l WHERE l.enrollment_id = e.id AND l.state IN {OnItsWay})
        RETURNING e.id AS enrollment_id, NULL::integer AS day, e.created_at, e.discreet
        """, CourseEvents.Finished, "@p0", OverviewTriggers.FinishedCountedInline("changed", "@p0"));

    /// <summary>A lesson the mail server accepted never arrived (a bounce report came back); true only the first time.</summary>
    public async Task<bool> FailSentAsync(long lessonId, string error, CancellationToken cancellationToken) =>
        await db.Lessons.Where(l => l.Id == lessonId && l.State == LessonState.Sent)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Failed).SetProperty(l => l.LastError, DeliveryError.Fit(error)), cancellationToken) == 1;

    public Task ResetSoftBouncesAsync(long enrollmentId, CancellationToken cancellationToken) =>
        db.Enrollments.Where(e => e.Id == enrollmentId && e.SoftBounces != 0)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.SoftBounces, 0), cancellationToken);

    /// <summary>Counts a lesson that failed for good on transient errors; returns the run of them so far.</summary>
    public async Task<int> AddSoftBounceAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        await db.Enrollments.Where(e => e.Id == enrollmentId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.SoftBounces, e => e.SoftBounces + 1), cancellationToken);
        return await db.Enrollments.Where(e => e.Id == enrollmentId).Select(e => e.SoftBounces).FirstOrDefaultAsync(cancellationToken);
    }
}
