using Bootcamp.Domain;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Tracking;

/// <summary>Writes opens, clicks and completions: first times on the lesson row, every one as an event.</summary>
public sealed class TrackingStore(BootcampDb db, TimeProvider time)
{
    /// <summary>The link the click token points at, or null when the lesson or index is unknown.</summary>
    public async Task<string?> LinkAsync(long lessonId, int index, CancellationToken cancellationToken)
    {
        var links = await db.Lessons.Where(l => l.Id == lessonId).Select(l => l.Links).FirstOrDefaultAsync(cancellationToken);
        if (links is null)
        {
            return null;
        }
        var all = links.Split('\n');
        return index < all.Length ? all[index] : null;
    }

    /// <summary>A person clicked: that also proves the lesson was read by a person, whatever opened it before.</summary>
    public async Task RecordClickAsync(long lessonId, bool counted, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (counted)
        {
            await db.Lessons.Where(l => l.Id == lessonId && (l.ClickedAt == null || l.OpenedAt == null))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(l => l.ClickedAt, l => l.ClickedAt ?? now)
                    .SetProperty(l => l.OpenedAt, l => l.OpenedAt ?? now), cancellationToken);
        }
        await AddEventAsync(lessonId, counted ? "click" : "scanner-click", now, cancellationToken);
    }

    /// <summary>Records the day's step; when all seven are done the enrollment counts as completed.</summary>
    public async Task<bool> RecordDoneAsync(long lessonId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var enrollmentId = await db.Lessons.Where(l => l.Id == lessonId).Select(l => (long?)l.EnrollmentId).FirstOrDefaultAsync(cancellationToken);
        if (enrollmentId is null)
        {
            return false;
        }
        var changed = await db.Lessons.Where(l => l.Id == lessonId && l.CompletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.CompletedAt, now), cancellationToken);
        if (changed > 0)
        {
            await AddEventAsync(lessonId, "done", now, cancellationToken);
            await db.Enrollments
                .Where(e => e.Id == enrollmentId && e.CompletedAt == null
                            && e.Lessons.Count(l => l.CompletedAt != null) == Campaign.LessonCount)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.CompletedAt, now), cancellationToken);
        }
        return true;
    }

    private async Task AddEventAsync(long lessonId, string kind, DateTime at, CancellationToken cancellationToken)
    {
        db.Events.Add(new TrackingEvent { LessonId = lessonId, Kind = kind, At = at });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
