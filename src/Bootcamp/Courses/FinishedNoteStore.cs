using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Courses;

/// <summary>
/// Every state change of the "you finished" note, kept on its enrollment's row and each one conditional,
/// as <see cref="LessonStore"/> does for lessons: a retried, duplicated or concurrent job sends it once.
/// </summary>
public sealed class FinishedNoteStore(BootcampDb db, ClaimOwner owner)
{
    // PostgreSQL: several dispatchers (one per process) skip each other's rows instead of queueing on them.
    private const string SkipLocked = "FOR UPDATE SKIP LOCKED";

    private static string Reclaim(string takenOver, string lockRows) => $"""
        UPDATE enrollments SET finished_note_state = 'Claimed', finished_note_claimed_at = @p0, finished_note_claimed_by = @p3
        WHERE id IN (SELECT id FROM enrollments WHERE finished_note_state IN ('Claimed', 'Sending') AND finished_note_claimed_at IS NOT NULL
                     AND {takenOver}
                     ORDER BY finished_note_claimed_at LIMIT @p2 {lockRows})
        RETURNING id AS "Value"
        """;

    private static string ClaimDue(string lockRows) => $"""
        UPDATE enrollments SET finished_note_state = 'Claimed', finished_note_claimed_at = @p0, finished_note_claimed_by = @p3
        WHERE id IN (SELECT id FROM enrollments WHERE finished_note_state = 'Scheduled' AND finished_note_due_at <= @p1
                     ORDER BY finished_note_due_at LIMIT @p2 {lockRows})
        RETURNING id AS "Value"
        """;

    private static readonly ClaimStatements ClaimSqlite = Statements(""), ClaimPostgres = Statements(SkipLocked);

    private static ClaimStatements Statements(string lockRows) => Claims.Statements(Reclaim, ClaimDue, lockRows,
        "enrollments.finished_note_claimed_at", "enrollments.finished_note_claimed_by", "enrollments.finished_note_state = 'Claimed'");

    /// <summary>Claims up to <paramref name="limit"/> due notes, and notes whose claim outlived its lease; returns their enrollments.</summary>
    public Task<long[]> ClaimDueAsync(DateTime now, DateTime leaseCutoff, int limit, CancellationToken cancellationToken) =>
        db.ReclaimThenClaimDueAsync(db.IsPostgres ? ClaimPostgres : ClaimSqlite, now, leaseCutoff, limit, owner, cancellationToken);

    public Task<List<FinishedNoteToSend>> LoadClaimedAsync(IReadOnlyCollection<long> enrollmentIds, CancellationToken cancellationToken) =>
        db.Enrollments.AsNoTracking()
            .Where(e => enrollmentIds.Contains(e.Id) && e.FinishedNoteState == LessonState.Claimed)
            .OrderBy(e => e.FinishedNoteDueAt)
            .Select(e => new FinishedNoteToSend(e.Id, e.FinishedNoteAttempts, e.Email, e.FirstName, e.Discreet))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// The last look at the record before talking to SMTP: takes the note only while it is claimed, the course
    /// still finished with all seven lessons delivered (a later bounce report may have failed one), the reader
    /// not unsubscribed, no newer sign-up of the address under way, and the address not suppressed.
    /// Otherwise the note will never go out, and says so.
    /// </summary>
    /// <param name="addressHashes">The address under every hashing key (<see cref="Security.AddressHasher.Hashes"/>).</param>
    public async Task<bool> TryTakeAsync(long enrollmentId, string[] addressHashes, DateTime now, CancellationToken cancellationToken)
    {
        var taken = await db.Enrollments
            .Where(e => e.Id == enrollmentId && e.FinishedNoteState == LessonState.Claimed
                        && e.Status == EnrollmentStatus.Finished && e.UnsubscribedAt == null
                        && e.Lessons.Count(l => l.State == LessonState.Sent) == Campaign.LessonCount
                        && !db.Enrollments.Any(later => later.EmailKey == e.EmailKey && later.Id > e.Id)
                        && !db.Suppressions.Any(s => addressHashes.Contains(s.AddressHash)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.FinishedNoteState, LessonState.Sending)
                .SetProperty(e => e.FinishedNoteClaimedAt, now)
                .SetProperty(e => e.FinishedNoteClaimedBy, owner.Id), cancellationToken);
        if (taken == 0)
        {
            await db.Enrollments.Where(e => e.Id == enrollmentId && e.FinishedNoteState == LessonState.Claimed)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.FinishedNoteState, LessonState.Skipped), cancellationToken);
        }
        return taken == 1;
    }

    public Task MarkSentAsync(long enrollmentId, DateTime now, CancellationToken cancellationToken) =>
        Taken(enrollmentId).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.FinishedNoteState, LessonState.Sent)
            .SetProperty(e => e.FinishedNoteSentAt, now)
            .SetProperty(e => e.FinishedNoteAttempts, e => e.FinishedNoteAttempts + 1)
            .SetProperty(e => e.FinishedNoteError, (string?)null), cancellationToken);

    public Task RescheduleAsync(long enrollmentId, DateTime dueAt, string error, CancellationToken cancellationToken) =>
        Taken(enrollmentId).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.FinishedNoteState, LessonState.Scheduled)
            .SetProperty(e => e.FinishedNoteDueAt, dueAt)
            .SetProperty(e => e.FinishedNoteClaimedAt, (DateTime?)null)
            .SetProperty(e => e.FinishedNoteAttempts, e => e.FinishedNoteAttempts + 1)
            .SetProperty(e => e.FinishedNoteError, DeliveryError.Fit(error)), cancellationToken);

    public Task FailAsync(long enrollmentId, string error, CancellationToken cancellationToken) =>
        Taken(enrollmentId).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.FinishedNoteState, LessonState.Failed)
            .SetProperty(e => e.FinishedNoteAttempts, e => e.FinishedNoteAttempts + 1)
            .SetProperty(e => e.FinishedNoteError, DeliveryError.Fit(error)), cancellationToken);

    /// <summary>A note that could not even be built (a template error): it fails rather than loop through leases.</summary>
    public Task FailClaimedAsync(long enrollmentId, string error, CancellationToken cancellationToken) =>
        db.Enrollments.Where(e => e.Id == enrollmentId && e.FinishedNoteState == LessonState.Claimed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.FinishedNoteState, LessonState.Failed)
                .SetProperty(e => e.FinishedNoteError, DeliveryError.Fit(error)), cancellationToken);

    /// <summary>Campaign:FinishedNote turned off: notes planned before that are never sent.</summary>
    public Task<int> SkipDueAsync(DateTime now, CancellationToken cancellationToken) =>
        db.Enrollments.Where(e => e.FinishedNoteState == LessonState.Scheduled && e.FinishedNoteDueAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.FinishedNoteState, LessonState.Skipped), cancellationToken);

    /// <summary>An unsubscribe or bounce: a note not yet taken by a sender never goes out.</summary>
    public static Task StopAsync(BootcampDb db, long enrollmentId, CancellationToken cancellationToken) =>
        db.Enrollments.Where(e => e.Id == enrollmentId && (e.FinishedNoteState == LessonState.Scheduled || e.FinishedNoteState == LessonState.Claimed))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.FinishedNoteState, LessonState.Skipped), cancellationToken);

    /// <summary>The note while this sender holds it (after <see cref="TryTakeAsync"/>): only the taker records the result.</summary>
    private IQueryable<EnrollmentRecord> Taken(long enrollmentId) =>
        db.Enrollments.Where(e => e.Id == enrollmentId && e.FinishedNoteState == LessonState.Sending);
}
