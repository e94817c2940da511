using Bootcamp.Domain;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Admin;

public sealed record EnrollmentCounts(int Pending, int Active, int Finished, int Completed, int Unsubscribed, int Bounced, int Paused);

public sealed record LessonCounts(int Day, int Sent, int Opened, int MachineOpened, int Clicked, int Completed);

/// <summary>Webhook deliveries still on their way, and those given up after every attempt failed.</summary>
public sealed record WebhookCounts(int Pending, int Failed);

public sealed record Stats(EnrollmentCounts Enrollments, IReadOnlyList<LessonCounts> Lessons, WebhookCounts Webhooks);

/// <summary>One lesson for the API; <see cref="SmtpReply"/> is the mail server's answer when it accepted it (or an admin's resend).</summary>
public sealed record LessonDetail(int Day, string State, DateTime DueAt, DateTime? SentAt, DateTime? OpenedAt, DateTime? MachineOpenedAt, DateTime? ClickedAt, DateTime? CompletedAt,
    string? MessageId = null, string? SmtpReply = null);

/// <summary>The "you finished" note after lesson 7, when one was planned.</summary>
public sealed record FinishedNoteDetail(string State, DateTime DueAt, DateTime? SentAt);

public sealed record EnrollmentDetail(
    string Email, string Status, string? FirstName, string TimeZone, bool Discreet, bool NoTracking,
    DateTime CreatedAt, string ConsentSource, string ConsentVersion, DateTime? ConfirmedAt, DateTime? UnsubscribedAt,
    DateTime? BouncedAt, DateTime? FinishedAt, DateTime? CompletedAt, IReadOnlyList<LessonDetail> Lessons,
    FinishedNoteDetail? FinishedNote = null, DateTime? PausedUntil = null, string? SendAt = null);

/// <summary>What the admin API and pages read. Times come back as UTC whatever the provider stored.</summary>
public sealed class DashboardQueries(BootcampDb db)
{
    /// <summary>Sums of the running totals the triggers keep: a few dozen rows whatever the list's size.</summary>
    public async Task<Stats> StatsAsync(CancellationToken cancellationToken)
    {
        var byName = await db.EnrollmentStats.GroupBy(e => e.Name)
            .Select(g => new { Name = g.Key, Count = g.Sum(x => x.Count) })
            .ToDictionaryAsync(x => x.Name, x => (int)x.Count, cancellationToken);
        // The overview's totals (day 0 is the course's own row): one set of counters for both pages.
        var lessons = await db.OverviewCounts.Where(o => o.Day > 0).GroupBy(o => o.Day)
            .Select(g => new LessonCounts(g.Key, (int)g.Sum(x => x.Sent), (int)g.Sum(x => x.Opened), (int)g.Sum(x => x.MachineOpened),
                (int)g.Sum(x => x.Clicked), (int)g.Sum(x => x.Done)))
            .ToListAsync(cancellationToken);
        var days = Enumerable.Range(1, Campaign.LessonCount)
            .Select(day => lessons.FirstOrDefault(l => l.Day == day) ?? new LessonCounts(day, 0, 0, 0, 0, 0))
            .ToList();
        int Count(string name) => byName.GetValueOrDefault(name);
        return new Stats(
            new EnrollmentCounts(Count(nameof(EnrollmentStatus.Pending)), Count(nameof(EnrollmentStatus.Active)), Count(nameof(EnrollmentStatus.Finished)),
                Count("completed"), Count(nameof(EnrollmentStatus.Unsubscribed)), Count(nameof(EnrollmentStatus.Bounced)), Count(nameof(EnrollmentStatus.Paused))),
            days,
            new WebhookCounts(
                await db.WebhookDeliveries.CountAsync(d => d.State == WebhookState.Scheduled || d.State == WebhookState.Claimed, cancellationToken),
                await db.WebhookDeliveries.CountAsync(d => d.State == WebhookState.Failed, cancellationToken)));
    }

    /// <summary>The address's latest enrollment with every lesson, or null.</summary>
    public async Task<EnrollmentDetail?> FindAsync(string email, CancellationToken cancellationToken)
    {
        var key = EmailAddress.Key(email);
        var e = await db.Enrollments.AsNoTracking()
            .Where(x => x.EmailKey == key)
            .OrderByDescending(x => x.Id)
            .Include(x => x.Lessons)
            .FirstOrDefaultAsync(cancellationToken);
        if (e is null)
        {
            return null;
        }
        return new EnrollmentDetail(
            e.Email, Name(e.Status), e.FirstName, e.TimeZone, e.Discreet, e.NoTracking,
            Utc(e.CreatedAt), e.ConsentSource, e.ConsentVersion, Utc(e.ConfirmedAt), Utc(e.UnsubscribedAt),
            Utc(e.BouncedAt), Utc(e.FinishedAt), Utc(e.CompletedAt),
            [.. e.Lessons.OrderBy(l => l.Day).Select(l => new LessonDetail(
                l.Day, Name(l.State), Utc(l.DueAt), Utc(l.SentAt), Utc(l.OpenedAt), Utc(l.MachineOpenedAt), Utc(l.ClickedAt), Utc(l.CompletedAt), l.MessageId, l.SmtpReply))],
            e is { FinishedNoteState: { } state, FinishedNoteDueAt: { } due } ? new FinishedNoteDetail(Name(state), Utc(due), Utc(e.FinishedNoteSentAt)) : null,
            Utc(e.PausedUntil), e.SendAt);
    }

    public static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    // SQLite hands DateTime back unspecified; the API promises UTC ("Z").
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
