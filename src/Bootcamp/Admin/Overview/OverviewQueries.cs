using System.Globalization;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Persistence;
using Bootcamp.Persistence.Migrations;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Admin.Overview;

/// <summary>
/// Reads the overview. The funnel, the days and the cohorts come from the totals the triggers keep (a few hundred
/// rows whatever the list's size); a status filter, which the totals are not kept by, counts the rows instead.
/// </summary>
public sealed class OverviewQueries(BootcampDb db, IMailTransport transport, TimeProvider time)
{
    private sealed record Fact(DateOnly Cohort, int Day, long Enrolled, long Confirmed, long Finished, long Completed, long LeftCourse,
        long Sent, long Opened, long MachineOpened, long Clicked, long Done, long Untracked, long Failed);

    public async Task<OverviewReport> ReadAsync(OverviewFilter filter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var from = today.AddDays(1 - filter.Days);
        var facts = await FactsAsync(filter, from, cancellationToken);
        var left = await LeftAfterAsync(filter, from, cancellationToken);
        return new OverviewReport(filter, now, filter.Status is not null, Funnel(facts), Days(facts, left), Cohorts(facts, from, today),
            await TrendAsync(from, today, cancellationToken), await DeliveryAsync(now, cancellationToken));
    }

    private async Task<List<Fact>> FactsAsync(OverviewFilter filter, DateOnly from, CancellationToken cancellationToken)
    {
        IQueryable<OverviewCountsRow> rows;
        if (filter.Status is { } status)
        {
            // Counted from the rows: e.created_at and e.status are indexed, so a narrow filter stays quick.
            var where = "e.status = @status AND e.created_at >= @from" + (filter.Discreet is null ? "" : " AND e.discreet = @discreet");
            List<object> parameters = [db.Parameter("status", status.ToString()), db.Parameter("from", from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))];
            if (filter.Discreet is { } d)
            {
                parameters.Add(db.Parameter("discreet", d));
            }
            rows = db.OverviewCounts.FromSqlRaw(OverviewTriggers.Recount(db.IsPostgres, where), [.. parameters]).AsNoTracking();
        }
        else
        {
            rows = db.OverviewCounts.AsNoTracking().Where(c => c.Cohort >= from);
            if (filter.Discreet is { } discreet)
            {
                rows = rows.Where(c => c.Discreet == discreet);
            }
        }
        return await rows.GroupBy(c => new { c.Cohort, c.Day })
            .Select(g => new Fact(g.Key.Cohort, g.Key.Day, g.Sum(x => x.Enrolled), g.Sum(x => x.Confirmed), g.Sum(x => x.Finished), g.Sum(x => x.Completed),
                g.Sum(x => x.LeftCourse), g.Sum(x => x.Sent), g.Sum(x => x.Opened), g.Sum(x => x.MachineOpened), g.Sum(x => x.Clicked), g.Sum(x => x.Done),
                g.Sum(x => x.Untracked), g.Sum(x => x.Failed)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Readers who left after each day (index = lessons they had been sent, 0–7).</summary>
    private async Task<long[]> LeftAfterAsync(OverviewFilter filter, DateOnly from, CancellationToken cancellationToken)
    {
        var left = new long[Campaign.LessonCount + 1];
        var since = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        if (filter.Status is { } status)
        {
            // Whoever left is unsubscribed now (or finished first): counted from their rows.
            var courses = db.Enrollments.AsNoTracking()
                .Where(e => e.Status == status && e.CreatedAt >= since && e.UnsubscribedAt != null && e.ConfirmedAt != null);
            if (filter.Discreet is { } d)
            {
                courses = courses.Where(e => e.Discreet == d);
            }
            var counted = await courses.GroupBy(e => e.Lessons.Count(l => l.State == LessonState.Sent))
                .Select(g => new { Sent = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);
            foreach (var row in counted)
            {
                left[Math.Clamp(row.Sent, 0, Campaign.LessonCount)] += row.Count;
            }
            return left;
        }
        var logged = await db.ActivityCounts.AsNoTracking()
            .Where(a => a.Name.StartsWith("left_") && a.Bucket >= since)
            .GroupBy(a => a.Name).Select(g => new { g.Key, Count = g.Sum(x => x.Count) }).ToListAsync(cancellationToken);
        foreach (var row in logged)
        {
            var discreet = row.Key.EndsWith('d');
            if (filter.Discreet is { } d && d != discreet)
            {
                continue;
            }
            if (int.TryParse(row.Key.AsSpan(5, row.Key.Length - 5 - (discreet ? 1 : 0)), NumberStyles.None, CultureInfo.InvariantCulture, out var day))
            {
                left[Math.Clamp(day, 0, Campaign.LessonCount)] += row.Count;
            }
        }
        return left;
    }

    private static List<FunnelStep> Funnel(List<Fact> facts)
    {
        var courses = facts.Where(f => f.Day == 0).ToList();
        var counts = new List<(string, long)>
        {
            ("Signed up", courses.Sum(f => f.Enrolled)),
            ("Confirmed", courses.Sum(f => f.Confirmed)),
        };
        for (var day = 1; day <= Campaign.LessonCount; day++)
        {
            counts.Add(($"Lesson {day} sent", facts.Where(f => f.Day == day).Sum(f => f.Sent)));
        }
        counts.Add(("Finished", courses.Sum(f => f.Finished)));
        counts.Add(("All seven steps done", courses.Sum(f => f.Completed)));
        return [.. counts.Select((c, i) => new FunnelStep(c.Item1, c.Item2, i == 0 ? null : Share(c.Item2, counts[i - 1].Item2)))];
    }

    private static List<DayFigures> Days(List<Fact> facts, long[] left) =>
    [
        .. Enumerable.Range(1, Campaign.LessonCount).Select(day =>
        {
            var d = facts.Where(f => f.Day == day).ToList();
            return new DayFigures(day, d.Sum(f => f.Sent), d.Sum(f => f.Opened), d.Sum(f => f.MachineOpened), d.Sum(f => f.Untracked),
                d.Sum(f => f.Clicked), d.Sum(f => f.Done), d.Sum(f => f.Failed), left[day]);
        }),
    ];

    private static List<CohortRow> Cohorts(List<Fact> facts, DateOnly from, DateOnly today)
    {
        var rows = new List<CohortRow>();
        for (var week = Monday(today); week >= Monday(from); week = week.AddDays(-7))
        {
            var inWeek = facts.Where(f => Monday(f.Cohort) == week).ToList();
            var confirmed = inWeek.Where(f => f.Day == 0).Sum(f => f.Confirmed);
            var cells = Enumerable.Range(1, Campaign.LessonCount).Select(day =>
            {
                var d = inWeek.Where(f => f.Day == day).ToList();
                return new CohortCell(day, Share(d.Sum(f => f.Done), confirmed), Share(d.Sum(f => f.Sent), confirmed));
            }).ToList();
            rows.Add(new CohortRow(week, confirmed, cells));
        }
        return rows;
    }

    private async Task<List<TrendPoint>> TrendAsync(DateOnly from, DateOnly today, CancellationToken cancellationToken)
    {
        var since = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        string[] names = ["signed_up", "confirmed", "finished"];
        var counted = await db.ActivityCounts.AsNoTracking()
            .Where(a => names.Contains(a.Name) && a.Bucket >= since)
            .GroupBy(a => new { a.Name, a.Bucket }).Select(g => new { g.Key.Name, g.Key.Bucket, Count = g.Sum(x => x.Count) })
            .ToListAsync(cancellationToken);
        var byDay = counted.ToLookup(c => (c.Name, DateOnly.FromDateTime(c.Bucket)), c => c.Count);
        var points = new List<TrendPoint>();
        for (var day = from; day <= today; day = day.AddDays(1))
        {
            points.Add(new TrendPoint(day, byDay[("signed_up", day)].Sum(), byDay[("confirmed", day)].Sum(), byDay[("finished", day)].Sum()));
        }
        return points;
    }

    private async Task<DeliveryHealth> DeliveryAsync(DateTime now, CancellationToken cancellationToken)
    {
        var dueNow = await db.Lessons.LongCountAsync(l => l.State == LessonState.Scheduled && l.DueAt <= now, cancellationToken);
        var inFlight = await db.Lessons.LongCountAsync(l => (l.State == LessonState.Claimed || l.State == LessonState.Sending) && l.ClaimedAt != null, cancellationToken);
        var oldest = await db.Lessons.Where(l => l.State == LessonState.Scheduled && l.DueAt <= now).MinAsync(l => (DateTime?)l.DueAt, cancellationToken);
        // Hourly buckets: the last 24 hours are the 24 buckets up to this one.
        var since = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(-23);
        string[] names = ["sent", "retried", "failed_5xx", "failed_bounce", "failed_policy"];
        var activity = await db.ActivityCounts.AsNoTracking()
            .Where(a => names.Contains(a.Name) && a.Bucket >= since)
            .GroupBy(a => a.Name).Select(g => new { g.Key, Count = g.Sum(x => x.Count) })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var dayAgo = now.AddHours(-24);
        var complaints = await db.Suppressions.LongCountAsync(s => s.Reason == "complaint" && s.CreatedAt >= dayAgo, cancellationToken);
        var suppressions = await db.Suppressions.LongCountAsync(cancellationToken);
        DateTime? oldestUtc = oldest is { } o ? DateTime.SpecifyKind(o, DateTimeKind.Utc) : null;
        return new DeliveryHealth(dueNow, inFlight, oldestUtc, oldestUtc is { } t ? now - t : null, activity.GetValueOrDefault("sent"),
            new FailureCounts(activity.GetValueOrDefault("retried"), activity.GetValueOrDefault("failed_5xx"), activity.GetValueOrDefault("failed_bounce"),
                complaints, activity.GetValueOrDefault("failed_policy")),
            suppressions, transport.PoolState);
    }

    private static DateOnly Monday(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    private static double? Share(long part, long whole) => whole == 0 ? null : (double)part / whole;
}
