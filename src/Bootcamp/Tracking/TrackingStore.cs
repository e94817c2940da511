using Bootcamp.Domain;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Tracking;

/// <summary>Writes opens, clicks and completions: first times on the lesson row, every one as an event.</summary>
public sealed class TrackingStore(BootcampDb db, TimeProvider time, ScannerBurstRule burstRule)
{
    /// <summary>The link the click token points at and how many links its email has, or null when the lesson or index is unknown.</summary>
    public async Task<ClickTarget?> LinkAsync(long lessonId, int index, CancellationToken cancellationToken)
    {
        var lesson = await db.Lessons.Where(l => l.Id == lessonId)
            .Select(l => new { l.Links, l.Enrollment!.NoTracking, l.Enrollment.EmailKey })
            .FirstOrDefaultAsync(cancellationToken);
        if (lesson?.Links is not { } links)
        {
            return null;
        }
        var all = links.Split('\n');
        // A reader who turned tracking off (or whose course was forgotten) still gets the link, uncounted.
        return index < all.Length ? new ClickTarget(all[index], all.Length, Tracked: !lesson.NoTracking && lesson.EmailKey.Length > 0) : null;
    }

    /// <summary>
    /// Records a click on link <paramref name="linkIndex"/> of the email built at <paramref name="builtAt"/>.
    /// A counted click also proves the lesson was read by a person, whatever opened it before. Counted at
    /// once; a click that could still turn out to be part of a scanner's burst is looked at with the
    /// email's other early clicks (see <see cref="ScannerBurstRule"/>). The first click per link and verdict
    /// is what the record keeps: a replayed link adds no row (a forwarded lesson replayed without end included).
    /// </summary>
    public async Task RecordClickAsync(long lessonId, int linkIndex, int linkCount, DateTimeOffset builtAt, bool counted, CancellationToken cancellationToken)
    {
        if (burstRule.CouldBeBurst(linkCount, builtAt))
        {
            await RecordEarlyClickAsync(lessonId, linkIndex, linkCount, builtAt, counted, cancellationToken);
            return;
        }
        var now = Now();
        // The event before the lesson: a take-back running at this moment then either reads this click or,
        // settling after it commits, finds it (see SettleAsync).
        await AddClickOnceAsync(lessonId, ClickKinds.Of(counted ? ClickKinds.Counted : ClickKinds.Scanner, linkIndex), now,
            counted && burstRule.MayStillTakeBack(linkCount, builtAt), builtAt, cancellationToken);
        if (counted)
        {
            await CountClickAsync(lessonId, now, cancellationToken);
        }
    }

    /// <summary>
    /// Adds the click's event unless the lesson already has one of the same kind. When a burst over the email's
    /// window may still be taking its counted clicks back, a twin inside that window is no twin: this click is
    /// then written too, for SettleAsync to find. One statement, so that of replays arriving together SQLite's
    /// single writer lets only the first in (on PostgreSQL, replays in the same instant may each add one).
    /// </summary>
    private Task AddClickOnceAsync(long lessonId, string kind, DateTime at, bool windowMayBeTakenBack, DateTimeOffset builtAt, CancellationToken cancellationToken)
    {
        var from = (builtAt - ScannerBurstRule.ClockSkew).UtcDateTime;
        var until = (builtAt + ScannerBurstRule.Window).UtcDateTime;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO events (lesson_id, kind, at)
            SELECT {lessonId}, {kind}, {at}
            WHERE NOT EXISTS (SELECT 1 FROM events WHERE lesson_id = {lessonId} AND kind = {kind}
                AND NOT ({windowMayBeTakenBack} AND at >= {from} AND at <= {until}))
            """, cancellationToken);
    }

    private Task CountClickAsync(long lessonId, DateTime at, CancellationToken cancellationToken) =>
        db.Lessons.Where(l => l.Id == lessonId && (l.ClickedAt == null || l.OpenedAt == null))
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.ClickedAt, l => l.ClickedAt ?? at)
                .SetProperty(l => l.OpenedAt, l => l.OpenedAt ?? at), cancellationToken);

    /// <summary>
    /// A click inside its email's burst window. The email's early clicks take turns on the lesson's row
    /// (a row lock on PostgreSQL, SQLite's single writer), so of two scanner requests arriving together,
    /// in one process or two, the second sees the first. When the early fetches now reach every link,
    /// this click is flagged and the early clicks counted before it are taken back.
    /// </summary>
    private async Task RecordEarlyClickAsync(long lessonId, int linkIndex, int linkCount, DateTimeOffset builtAt, bool counted, CancellationToken cancellationToken)
    {
        var tookBack = false;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var lesson = await LockLessonAsync(lessonId, cancellationToken);
            var now = Now();
            var from = (builtAt - ScannerBurstRule.ClockSkew).UtcDateTime;
            var until = (builtAt + ScannerBurstRule.Window).UtcDateTime;
            var early = await db.Events.AsNoTracking()
                .Where(e => e.LessonId == lessonId && e.At >= from && e.At <= until)
                .Select(e => new { e.Id, e.Kind, e.At })
                .ToListAsync(cancellationToken);
            var fetches = new List<LinkFetch>(early.Count + 1) { new(linkIndex, new DateTimeOffset(now, TimeSpan.Zero)) };
            foreach (var e in early)
            {
                if (ClickKinds.TryReadIndex(e.Kind, out var index))
                {
                    fetches.Add(new LinkFetch(index, new DateTimeOffset(DateTime.SpecifyKind(e.At, DateTimeKind.Utc))));
                }
            }
            var burst = ScannerBurstRule.IsBurst(linkCount, builtAt, fetches);
            var kind = ClickKinds.Of(counted ? (burst ? ClickKinds.Burst : ClickKinds.Counted) : ClickKinds.Scanner, linkIndex);
            // A twin is looked for in the window only: one there already reaches this link for the rule, and a
            // take-back takes it back with the rest.
            if (!early.Exists(e => e.Kind == kind))
            {
                await AddEventAsync(lessonId, kind, now, cancellationToken);
            }
            if (!burst)
            {
                if (counted)
                {
                    await CountClickAsync(lessonId, now, cancellationToken);
                }
            }
            else
            {
                var takenBack = early.Where(e => e.Kind.StartsWith(ClickKinds.Counted, StringComparison.Ordinal)).ToList();
                if (takenBack.Count > 0 && lesson is not null)
                {
                    await TakeBackAsync(lessonId, lesson, [.. takenBack.Select(e => e.Id)], [.. takenBack.Select(e => e.At)], cancellationToken);
                    tookBack = true;
                }
            }
            await transaction.CommitAsync(cancellationToken);
        }
        if (tookBack)
        {
            await SettleAsync(lessonId, cancellationToken);
        }
    }

    /// <summary>The lesson's click and open times, its row locked until the transaction ends (SQLite: the transaction already holds the write lock).</summary>
    private Task<ClickedAndOpened?> LockLessonAsync(long lessonId, CancellationToken cancellationToken)
    {
        var lessons = db.IsPostgres
            ? db.Lessons.FromSql($"SELECT * FROM lessons WHERE id = {lessonId} FOR UPDATE")
            : db.Lessons.Where(l => l.Id == lessonId);
        return lessons.AsNoTracking().Select(l => new ClickedAndOpened(l.ClickedAt, l.OpenedAt)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Flags the early clicks as the burst's and puts the lesson back as it would be without them: clicked
    /// at the first click still counted (none: not clicked), and opened by a person only if something
    /// other than those clicks said so. A click that upgraded the open wrote the same instant to both, so
    /// an open time equal to one of theirs is theirs. The stats triggers follow the row.
    /// </summary>
    private async Task TakeBackAsync(long lessonId, ClickedAndOpened lesson, long[] eventIds, DateTime[] clickTimes, CancellationToken cancellationToken)
    {
        await db.Events.Where(e => eventIds.Contains(e.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Kind, e => ClickKinds.Burst + e.Kind.Substring(ClickKinds.Counted.Length)), cancellationToken);
        var firstCounted = await FirstCountedClickAsync(lessonId, cancellationToken);
        var openedAt = lesson.OpenedAt is { } opened && clickTimes.Contains(opened) ? firstCounted : lesson.OpenedAt;
        if (firstCounted != lesson.ClickedAt || openedAt != lesson.OpenedAt)
        {
            await db.Lessons.Where(l => l.Id == lessonId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(l => l.ClickedAt, firstCounted)
                    .SetProperty(l => l.OpenedAt, openedAt), cancellationToken);
        }
    }

    /// <summary>
    /// After a take-back commits: a person's click outside the window, recorded at that very moment
    /// without the lock, may have seen the lesson still clicked and left it alone. Its event is in by
    /// now, so count it.
    /// </summary>
    private async Task SettleAsync(long lessonId, CancellationToken cancellationToken)
    {
        if (await FirstCountedClickAsync(lessonId, cancellationToken) is { } first)
        {
            await CountClickAsync(lessonId, first, cancellationToken);
        }
    }

    private Task<DateTime?> FirstCountedClickAsync(long lessonId, CancellationToken cancellationToken) =>
        db.Events.Where(e => e.LessonId == lessonId && e.Kind.StartsWith(ClickKinds.Counted))
            .MinAsync(e => (DateTime?)e.At, cancellationToken);

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private sealed record ClickedAndOpened(DateTime? ClickedAt, DateTime? OpenedAt);

    private async Task AddEventAsync(long lessonId, string kind, DateTime at, CancellationToken cancellationToken)
    {
        db.Events.Add(new TrackingEvent { LessonId = lessonId, Kind = kind, At = at });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
