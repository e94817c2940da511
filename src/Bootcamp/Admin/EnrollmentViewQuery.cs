using System.Globalization;
using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Bootcamp.Admin;

/// <summary>One moment in an enrollment's life, for the timeline.</summary>
public sealed record TimelineEntry(DateTime At, string What);

/// <summary>
/// What the admin sees of one enrollment: its choices, its timeline, and why the next lesson has not gone yet; and what
/// the actions' "are you sure?" steps tell before acting: the lessons left, the days that may go again, where each
/// length of pause would end (<see cref="PauseEnds"/>[n - 1] for n days), the pause's end as the reader's clock shows it.
/// </summary>
public sealed record EnrollmentView(
    long Id, string Email, string Status, string TimeZone, string SendAt, bool Discreet, bool Tracking,
    string ConsentVersion, string ConsentSource, DateTime ConsentAt, DateTime? PausedUntil, string WhyNot, IReadOnlyList<TimelineEntry> Timeline,
    int LessonsLeft, IReadOnlyList<int> ResendableDays, IReadOnlyList<string> PauseEnds, string? PausedUntilShown);

/// <summary>Reads one enrollment whole: its row, its lessons, their events and its outbox events, into an <see cref="EnrollmentView"/>.</summary>
public sealed class EnrollmentViewQuery(BootcampDb db, SuppressionList suppressions, Microsoft.Extensions.Options.IOptions<CampaignOptions> campaign, TimeProvider time)
{
    public async Task<EnrollmentView?> ReadAsync(long id, CancellationToken cancellationToken)
    {
        var e = await db.Enrollments.AsNoTracking().Include(x => x.Lessons).FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (e is null)
        {
            return null;
        }
        var lessonIds = e.Lessons.Select(l => l.Id).ToList();
        var events = await db.Events.AsNoTracking().Where(ev => lessonIds.Contains(ev.LessonId)).ToListAsync(cancellationToken);
        var outbox = await db.Outbox.AsNoTracking().Where(o => o.EnrollmentId == id).OrderBy(o => o.Id).ToListAsync(cancellationToken);
        var schedule = ReaderSchedule.Of(campaign.Value, e.TimeZone, e.SendAt);
        var days = e.Lessons.ToDictionary(l => l.Id, l => l.Day);

        var timeline = new List<TimelineEntry> { new(Utc(e.CreatedAt), $"Signed up ({e.ConsentSource}, consent text {e.ConsentVersion})") };
        Add(timeline, e.ConfirmationSentAt, "Confirmation sent");
        Add(timeline, e.ConfirmedAt, "Confirmed");
        foreach (var l in e.Lessons.OrderBy(l => l.Day))
        {
            // The reply column holds the last acceptance: the resend's once there was one, else the send's.
            var sentReply = l.ResentAt is null ? Answer(l.SmtpReply) : "";
            timeline.Add(new TimelineEntry(Utc(l.DueAt), $"Day {l.Day} due at {Show(l.DueAt, schedule.Zone)}"));
            Add(timeline, l.SentAt, $"Day {l.Day} sent, {l.MessageId}{(l.Attempts > 1 ? $", after {l.Attempts} attempts" : "")}{sentReply}");
            Add(timeline, l.OpenedAt, $"Day {l.Day} opened by a person");
            Add(timeline, l.MachineOpenedAt, $"Day {l.Day} fetched by a machine (a privacy proxy or scanner)");
            Add(timeline, l.CompletedAt, $"Day {l.Day}: step done");
            Add(timeline, l.ResentAt, $"Day {l.Day} sent again by an admin{(l.Resends > 1 ? $" (the last of {l.Resends} resends)" : "")}{Answer(l.SmtpReply)}");
            if (l.State == LessonState.Failed)
            {
                timeline.Add(new TimelineEntry(Utc(l.SentAt ?? l.DueAt), $"Day {l.Day} failed: {l.LastError}"));
            }
        }
        timeline.AddRange(events.Where(ev => ev.Kind.Contains("click", StringComparison.Ordinal))
            .Select(ev => new TimelineEntry(Utc(ev.At), $"Day {days[ev.LessonId]}: {(ev.Kind.StartsWith("click:", StringComparison.Ordinal) ? "link clicked" : "link fetched by a scanner")}")));
        timeline.AddRange(outbox.Where(o => o.Type is CourseEvents.Paused or CourseEvents.Resumed or CourseEvents.Unsubscribed or CourseEvents.Bounced or CourseEvents.Finished or CourseEvents.Completed)
            .Select(o => new TimelineEntry(Utc(o.OccurredAt), o.Type switch
            {
                CourseEvents.Paused => "Paused",
                CourseEvents.Resumed => "Resumed",
                CourseEvents.Unsubscribed => "Unsubscribed",
                CourseEvents.Bounced => "Bounced: the address is suppressed",
                CourseEvents.Finished => "Finished: every lesson delivered or given up",
                _ => "Completed: all seven steps done",
            })));
        Add(timeline, e.FinishedNoteSentAt, "Closing note sent");

        var now = time.GetUtcNow().UtcDateTime;
        // CourseRecord.PauseAsync counts a pause of n days from the moment it is asked for, in campaign days.
        var pauseEnds = Enumerable.Range(1, PauseDays.Max).Select(days => Show(campaign.Value.PauseEnd(now, days), schedule.Zone)).ToList();
        return new EnrollmentView(e.Id, e.Email, e.Status.ToString().ToLowerInvariant(), e.TimeZone, ReaderSchedule.Format(schedule.SendAt), e.Discreet, !e.NoTracking,
            e.ConsentVersion, e.ConsentSource, Utc(e.CreatedAt), e.PausedUntil is { } p ? Utc(p) : null, await WhyNotAsync(e, schedule, cancellationToken), [.. timeline.OrderBy(t => t.At)],
            e.Lessons.Count(l => LessonStates.OnItsWay.Contains(l.State)),
            EnrollmentRules.MayResend.Contains(e.Status) ? [.. e.Lessons.Where(l => LessonStates.Resendable.Contains(l.State)).Select(l => l.Day).Order()] : [],
            pauseEnds, e.PausedUntil is { } until ? Show(until, schedule.Zone) : null);
    }

    /// <summary>For the next lesson not sent, why, in one line.</summary>
    private async Task<string> WhyNotAsync(EnrollmentRecord e, ReaderSchedule schedule, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (e.Status == EnrollmentStatus.Bounced)
        {
            return await SuppressedAsync(e, schedule, now, cancellationToken);
        }
        if (e.Status == EnrollmentStatus.Pending)
        {
            return $"Not confirmed yet: the confirmation was asked for at {Show(e.ConfirmationRequestedAt ?? e.CreatedAt, schedule.Zone)}.";
        }
        var next = e.Lessons.OrderBy(l => l.Day).FirstOrDefault(l => l.State != LessonState.Sent);
        if (next is null)
        {
            return "All seven lessons were sent.";
        }
        return next.State switch
        {
            LessonState.Held => $"Day {next.Day} waits: paused until {Show(e.PausedUntil ?? now, schedule.Zone)}.",
            LessonState.Claimed or LessonState.Sending => $"Day {next.Day} is being sent now (taken at {Show(next.ClaimedAt ?? now, schedule.Zone)}).",
            LessonState.Failed => $"Day {next.Day} failed for good: {next.LastError}",
            LessonState.Skipped => $"Stopped: unsubscribed at {Show(e.UnsubscribedAt ?? now, schedule.Zone)}.",
            LessonState.Scheduled when next.Attempts > 0 => $"Waiting for Day {next.Day}'s retry, next attempt at {Show(next.DueAt, schedule.Zone)}; the mail server said: {next.LastError}",
            _ => $"Day {next.Day} is due at {Show(next.DueAt, schedule.Zone)}, {Relative(next.DueAt - now)}.",
        };
    }

    /// <summary>
    /// "Suppressed: hard bounce 5.1.1 on 2026-12-01 …": the suppression's reason and date, and the enhanced status code of
    /// the lesson that failed on it (a refusal at sending, or a bounce report: both keep the server's reply on the lesson).
    /// </summary>
    private async Task<string> SuppressedAsync(EnrollmentRecord e, ReaderSchedule schedule, DateTime now, CancellationToken cancellationToken)
    {
        var suppression = await suppressions.FindAsync(e.Email, cancellationToken);
        var failed = e.Lessons.Where(l => l.State == LessonState.Failed).OrderByDescending(l => l.Day).FirstOrDefault();
        var code = DeliveryFailureClassifier.EnhancedCode(failed?.LastError);
        var reason = (suppression?.Reason ?? "hard-bounce") switch
        {
            "hard-bounce" => "hard bounce",
            "complaint" => "complaint (marked as spam)",
            "soft-bounces" => "three lessons in a row lost to soft bounces",
            var other => other,
        };
        var at = suppression?.Since ?? Utc(e.BouncedAt ?? now);
        var stopped = e.Lessons.Where(l => l.State == LessonState.Skipped).Select(l => l.Day).DefaultIfEmpty().Min();
        return $"Suppressed: {reason}{(code is null ? "" : $" {code}")}{(failed is null ? "" : $" (Day {failed.Day})")} on {at:yyyy-MM-dd} ({Show(at, schedule.Zone)})"
            + (stopped > 0 ? $"; Day {stopped} and later will never be sent." : "; nothing more is sent to this address.");
    }

    /// <summary>"08:00 Thursday 26 March (Asia/Tokyo) = 23:00 UTC".</summary>
    private static string Show(DateTime utc, DateTimeZone zone)
    {
        var instant = Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        var local = instant.InZone(zone);
        return $"{local.ToString("HH:mm dddd d MMMM", CultureInfo.InvariantCulture)} ({zone.Id}) = {instant.InUtc().ToString("HH:mm", CultureInfo.InvariantCulture)} UTC";
    }

    private static string Relative(TimeSpan span) => span <= TimeSpan.Zero
        ? $"overdue by {Whole(-span)}"
        : $"in {Whole(span)}";

    private static string Whole(TimeSpan span) => span.TotalDays >= 1 ? $"{span.TotalDays:0} d {span.Hours} h" : span.TotalHours >= 1 ? $"{span.Hours} h {span.Minutes} min" : $"{Math.Max(0, span.Minutes)} min {span.Seconds} s";

    private static string Answer(string? reply) => reply is null ? "" : $"; the mail server answered: {reply}";

    private static void Add(List<TimelineEntry> timeline, DateTime? at, string what)
    {
        if (at is { } time)
        {
            timeline.Add(new TimelineEntry(Utc(time), what));
        }
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
