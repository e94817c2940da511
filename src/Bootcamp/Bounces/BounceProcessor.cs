using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Operations;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Bounces;

/// <summary>
/// Applies a parsed report to the record, the same way a synchronous refusal would be. Every change is
/// conditional (a lesson fails only while it is Sent; an enrollment bounces once; a suppression is
/// added once), so the same DSN read twice, or by two processes, changes nothing the second time.
/// </summary>
public sealed class BounceProcessor(BootcampDb db, LessonStore store, CourseRecord record, SuppressionList suppressions, BootcampMetrics metrics, ILogger<BounceProcessor> logger)
{
    public async Task<BounceOutcome> ApplyAsync(BounceReport report, CancellationToken cancellationToken)
    {
        if (!report.IsReport || report.Decisive is not { } finding)
        {
            return BounceOutcome.NotAReport;
        }
        if (report.ForgedReturnPath)
        {
            logger.LogWarning("A {ReportType} report came to a return path whose check fails: forged or mangled", report.ReportType);
        }
        if (await FindLessonAsync(report, cancellationToken) is not { } lesson)
        {
            logger.LogInformation("A {ReportType} report ({Finding}) names no lesson of ours; left in the mailbox", report.ReportType, finding.Kind);
            return BounceOutcome.Unmatched;
        }

        switch (finding.Kind)
        {
            case BounceKind.HardBounce:
                if (await FailSentAsync(lesson, finding, cancellationToken))
                {
                    logger.LogInformation("Lesson {Day} of enrollment {EnrollmentId} bounced later ({Status}); address suppressed", lesson.Day, lesson.EnrollmentId, finding.Status);
                }
                await StopAsync(lesson, "hard-bounce", cancellationToken);
                break;
            case BounceKind.Complaint:
                logger.LogWarning("Enrollment {EnrollmentId} complained about lesson {Day} ({FeedbackType}); address suppressed", lesson.EnrollmentId, lesson.Day, finding.Action);
                await StopAsync(lesson, "complaint", cancellationToken);
                break;
            case BounceKind.SoftBounce:
                // Counted once per lesson: only the report that moves the lesson from Sent to Failed counts.
                if (await FailSentAsync(lesson, finding, cancellationToken))
                {
                    // The counter is shared with synchronous failures, but the sender resets it whenever a later
                    // lesson is accepted by the relay, which is before this report about an earlier one arrives;
                    // so three lessons failed on consecutive days count too.
                    var run = Math.Max(await store.AddSoftBounceAsync(lesson.EnrollmentId, cancellationToken), await FailedRunAsync(lesson, cancellationToken));
                    logger.LogInformation("Lesson {Day} of enrollment {EnrollmentId} given up by the receiving side ({Status}); soft bounce {Run} in a row", lesson.Day, lesson.EnrollmentId, finding.Status, run);
                    if (run >= 3)
                    {
                        await StopAsync(lesson, "soft-bounces", cancellationToken);
                    }
                }
                break;
            case BounceKind.SenderPolicy:
                if (await FailSentAsync(lesson, finding, cancellationToken))
                {
                    // Our own configuration (SPF, DKIM, reputation) is at fault, not the reader's address.
                    logger.LogError("Lesson {Day} of enrollment {EnrollmentId} refused by policy after acceptance ({Status}): {Diagnostic}", lesson.Day, lesson.EnrollmentId, finding.Status, Redaction.Addresses(finding.DiagnosticCode));
                    metrics.PolicyRejection();
                }
                break;
            case BounceKind.Permanent:
                if (await FailSentAsync(lesson, finding, cancellationToken))
                {
                    logger.LogWarning("Lesson {Day} of enrollment {EnrollmentId} failed after acceptance ({Status}): {Diagnostic}", lesson.Day, lesson.EnrollmentId, finding.Status, Redaction.Addresses(finding.DiagnosticCode));
                }
                break;
            default:
                logger.LogDebug("Lesson {Day} of enrollment {EnrollmentId}: {Action} report, nothing to do", lesson.Day, lesson.EnrollmentId, finding.Action);
                break;
        }
        return BounceOutcome.Applied;
    }

    private async Task<ReportedLesson?> FindLessonAsync(BounceReport report, CancellationToken cancellationToken)
    {
        ReportedLesson? lesson = null;
        if (report.LessonId is { } id)
        {
            lesson = await Select(db.Lessons.Where(l => l.Id == id)).FirstOrDefaultAsync(cancellationToken);
        }
        if (lesson is null && report.OriginalMessageId is { } messageId)
        {
            // A report is about a lesson the mail server accepted (or one a report failed already): the states,
            // written out as constants, that the Message-ID index holds (ix_lessons_reported).
            lesson = await Select(db.Lessons.Where(l => l.MessageId == messageId && (l.State == LessonState.Sent || l.State == LessonState.Failed))).FirstOrDefaultAsync(cancellationToken);
        }
        return lesson;
    }

    private static IQueryable<ReportedLesson> Select(IQueryable<LessonRecord> lessons) =>
        lessons.AsNoTracking().Select(l => new ReportedLesson(l.Id, l.EnrollmentId, l.Day, l.Enrollment!.Email, l.Enrollment.Status));

    /// <summary>Records that a lesson the mail server accepted never arrived; true only the first time.</summary>
    private async Task<bool> FailSentAsync(ReportedLesson lesson, BounceFinding finding, CancellationToken cancellationToken)
    {
        var error = $"DSN {finding.Status ?? finding.Action}: {finding.DiagnosticCode}".Trim().TrimEnd(':');
        if (error.Length > 1000)
        {
            error = error[..1000];
        }
        return await store.FailSentAsync(lesson.Id, error, cancellationToken);
    }

    /// <summary>How many lessons on consecutive days, this one among them, failed.</summary>
    private async Task<int> FailedRunAsync(ReportedLesson lesson, CancellationToken cancellationToken)
    {
        var failed = (await db.Lessons.AsNoTracking()
            .Where(l => l.EnrollmentId == lesson.EnrollmentId && l.State == LessonState.Failed)
            .Select(l => l.Day)
            .ToListAsync(cancellationToken)).ToHashSet();
        var first = lesson.Day;
        while (failed.Contains(first - 1))
        {
            first--;
        }
        var last = lesson.Day;
        while (failed.Contains(last + 1))
        {
            last++;
        }
        return failed.Contains(lesson.Day) ? last - first + 1 : 0;
    }

    /// <summary>A running (active or paused) or finished course becomes Bounced; one that already ended otherwise keeps its status, and the address is suppressed either way.</summary>
    private Task StopAsync(ReportedLesson lesson, string reason, CancellationToken cancellationToken) =>
        lesson.Status is EnrollmentStatus.Active or EnrollmentStatus.Paused or EnrollmentStatus.Finished
            ? record.BounceAsync(lesson.EnrollmentId, lesson.Email, reason, cancellationToken)
            : suppressions.SuppressAsync(lesson.Email, reason, cancellationToken);

    private sealed record ReportedLesson(long Id, long EnrollmentId, int Day, string Email, EnrollmentStatus Status);
}
