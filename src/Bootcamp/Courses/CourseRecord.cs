using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Persistence;
using Bootcamp.Persistence.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Bootcamp.Courses;

/// <summary>What a transition did.</summary>
public enum Change
{
    /// <summary>It happened now.</summary>
    Done,
    /// <summary>It had happened already; a repeat changes nothing.</summary>
    Already,
    /// <summary>The course is not in a state that allows it (not confirmed yet, or over).</summary>
    NotAllowed,
    NotFound,
}

/// <summary>What confirming did, and the first lesson to send at once when it started the course.</summary>
public sealed record Confirmation(Change Change, long? FirstLessonId = null);

/// <summary>
/// The life of an enrollment: every change of its state (confirm, unsubscribe, bounce, pause, resume, skip a
/// day, new send time or zone, discretion and tracking, a step done, erase) is one method here, conditional on
/// the state it starts from, and writes its events to the outbox in the same transaction. Lessons' own
/// transitions (claim, take, sent, failed, finish) are in <see cref="LessonStore"/>, the finished note's in
/// <see cref="FinishedNoteStore"/>.
/// </summary>
public sealed class CourseRecord(BootcampDb db, SuppressionList suppressions, ClaimOwner owner, IOptions<CampaignOptions> campaign, TimeProvider time)
{
    private readonly CampaignOptions _campaign = campaign.Value;

    /// <summary>Starts the seven lessons: lesson 1 claimed to go at once, 2–7 per the schedule in the reader's zone.</summary>
    public async Task<Confirmation> ConfirmAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        var now = Now();
        var enrollment = await db.Enrollments.AsNoTracking()
            .Where(e => e.Id == enrollmentId)
            .Select(e => new { e.Status, e.ConfirmationRequestedAt, e.CreatedAt, e.TimeZone, e.SendAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (enrollment is null)
        {
            return new Confirmation(Change.NotFound);
        }
        if (enrollment.Status is EnrollmentStatus.Active or EnrollmentStatus.Paused or EnrollmentStatus.Finished)
        {
            return new Confirmation(Change.Already);
        }
        var requested = enrollment.ConfirmationRequestedAt ?? enrollment.CreatedAt;
        if (enrollment.Status != EnrollmentRules.MayConfirm || now - requested > _campaign.ConfirmationExpiry)
        {
            return new Confirmation(Change.NotAllowed);
        }

        var schedule = ReaderSchedule.Of(_campaign, enrollment.TimeZone, enrollment.SendAt);
        var due = LessonSchedule.DueTimes(Instant.FromDateTimeUtc(DateTime.SpecifyKind(now, DateTimeKind.Utc)), schedule.Zone, schedule.SendAt, schedule.DayLength);

        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        var activated = await db.Enrollments
            .Where(e => e.Id == enrollmentId && e.Status == EnrollmentRules.MayConfirm)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EnrollmentStatus.Active).SetProperty(e => e.ConfirmedAt, now), cancellationToken);
        if (activated == 0)
        {
            // A second click raced the first; the first one started the course.
            return new Confirmation(Change.Already);
        }
        var lessons = new LessonRecord[Campaign.LessonCount];
        for (var i = 0; i < lessons.Length; i++)
        {
            lessons[i] = new LessonRecord
            {
                EnrollmentId = enrollmentId,
                Day = i + 1,
                DueAt = due[i].ToDateTimeUtc(),
                // Lesson 1 is claimed here and sent at once; the dispatcher sends it again if that job is lost.
                State = i == 0 ? LessonState.Claimed : LessonState.Scheduled,
                ClaimedAt = i == 0 ? now : null,
                ClaimedBy = i == 0 ? owner.Id : null,
            };
        }
        db.Lessons.AddRange(lessons);
        await db.SaveChangesAsync(cancellationToken);
        await db.AppendAsync(enrollmentId, CourseEvents.Confirmed, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new Confirmation(Change.Done, lessons[0].Id);
    }

    /// <summary>
    /// Stops every lesson, and the finished note, not yet taken by a sender; one being sent this moment
    /// finishes. A finished or bounced course keeps its status, and the withdrawal is recorded either way.
    /// </summary>
    public async Task<Change> UnsubscribeAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        var now = Now();
        if (!await db.Enrollments.AnyAsync(e => e.Id == enrollmentId, cancellationToken))
        {
            return Change.NotFound;
        }
        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        var changed = await db.Enrollments
            .Where(e => e.Id == enrollmentId && EnrollmentRules.EndedByUnsubscribe.Contains(e.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EnrollmentStatus.Unsubscribed).SetProperty(e => e.UnsubscribedAt, now).SetProperty(e => e.PausedUntil, (DateTime?)null), cancellationToken);
        var withdrawn = await db.Enrollments.Where(e => e.Id == enrollmentId && e.UnsubscribedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.UnsubscribedAt, now), cancellationToken);
        await StopSendingAsync(db, enrollmentId, cancellationToken);
        if (changed + withdrawn > 0)
        {
            await db.AppendAsync(enrollmentId, CourseEvents.Unsubscribed, null, now, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return changed + withdrawn > 0 ? Change.Done : Change.Already;
    }

    /// <summary>A hard bounce or complaint: the course stops at once and nothing more goes to the address.</summary>
    public async Task<Change> BounceAsync(long enrollmentId, string address, string reason, CancellationToken cancellationToken)
    {
        var now = Now();
        // Suppressed first and on its own: should anything below fail, the address is already safe from mail.
        await suppressions.SuppressAsync(address, reason, cancellationToken);
        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        var changed = await db.Enrollments.Where(e => e.Id == enrollmentId && e.Status != EnrollmentStatus.Bounced)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EnrollmentStatus.Bounced).SetProperty(e => e.BouncedAt, now).SetProperty(e => e.PausedUntil, (DateTime?)null), cancellationToken);
        await StopSendingAsync(db, enrollmentId, cancellationToken);
        if (changed > 0)
        {
            await db.AppendAsync(enrollmentId, CourseEvents.Bounced, null, now, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return changed > 0 ? Change.Done : Change.Already;
    }

    /// <summary>
    /// A break of <paramref name="length"/> (a number of the course's days): nothing goes out until it ends or
    /// the reader resumes. A lesson being sent this moment finishes; every other one waits.
    /// </summary>
    public async Task<Change> PauseAsync(long enrollmentId, int days, CancellationToken cancellationToken)
    {
        var now = Now();
        var until = _campaign.PauseEnd(now, days);
        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        var paused = await db.Enrollments.Where(e => e.Id == enrollmentId && e.Status == EnrollmentStatus.Active)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EnrollmentStatus.Paused).SetProperty(e => e.PausedUntil, until), cancellationToken);
        if (paused == 0)
        {
            // Paused already: the new length replaces the old one.
            var extended = await db.Enrollments.Where(e => e.Id == enrollmentId && e.Status == EnrollmentStatus.Paused)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.PausedUntil, until), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return extended > 0 ? Change.Already : await RefusedAsync(enrollmentId, cancellationToken);
        }
        await db.Lessons.Where(l => l.EnrollmentId == enrollmentId && (l.State == LessonState.Scheduled || l.State == LessonState.Claimed))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Held).SetProperty(l => l.ClaimedAt, (DateTime?)null), cancellationToken);
        await db.AppendAsync(enrollmentId, CourseEvents.Paused, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Change.Done;
    }

    /// <summary>
    /// Ends a pause, by the reader's hand or because its time came: the lessons left continue one a day at
    /// the reader's send time, the first at the next one to come.
    /// </summary>
    public async Task<Change> ResumeAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        var now = Now();
        var enrollment = await db.Enrollments.AsNoTracking().Where(e => e.Id == enrollmentId)
            .Select(e => new { e.Status, e.TimeZone, e.SendAt }).FirstOrDefaultAsync(cancellationToken);
        if (enrollment is null)
        {
            return Change.NotFound;
        }
        if (enrollment.Status != EnrollmentStatus.Paused)
        {
            return enrollment.Status == EnrollmentStatus.Active ? Change.Already : Change.NotAllowed;
        }
        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        var resumed = await db.Enrollments.Where(e => e.Id == enrollmentId && e.Status == EnrollmentStatus.Paused)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EnrollmentStatus.Active).SetProperty(e => e.PausedUntil, (DateTime?)null), cancellationToken);
        if (resumed == 0)
        {
            return Change.Already;
        }
        var held = await db.Lessons.AsNoTracking().Where(l => l.EnrollmentId == enrollmentId && l.State == LessonState.Held)
            .OrderBy(l => l.Day).Select(l => l.Id).ToListAsync(cancellationToken);
        var schedule = ReaderSchedule.Of(_campaign, enrollment.TimeZone, enrollment.SendAt);
        var due = LessonSchedule.Continue(Instant.FromDateTimeUtc(DateTime.SpecifyKind(now, DateTimeKind.Utc)), held.Count, schedule.Zone, schedule.SendAt, schedule.DayLength,
            notBefore: await DayAfterLastSentAsync(enrollmentId, schedule.Zone, cancellationToken));
        for (var i = 0; i < held.Count; i++)
        {
            var (id, dueAt) = (held[i], due[i].ToDateTimeUtc());
            await db.Lessons.Where(l => l.Id == id && l.State == LessonState.Held)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Scheduled).SetProperty(l => l.DueAt, dueAt), cancellationToken);
        }
        await db.AppendAsync(enrollmentId, CourseEvents.Resumed, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (held.Count == 0)
        {
            // Paused after its last lesson went out: the course is over now.
            await new LessonStore(db, owner).FinishIfDoneAsync(enrollmentId, now, finishedNoteDue: null, cancellationToken);
        }
        return Change.Done;
    }

    /// <summary>Resumes the pauses whose time has come; returns how many.</summary>
    public async Task<int> ResumeEndedPausesAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        var ended = await db.Enrollments.AsNoTracking()
            .Where(e => e.Status == EnrollmentStatus.Paused && e.PausedUntil <= now)
            .OrderBy(e => e.PausedUntil).Select(e => e.Id).Take(500).ToListAsync(cancellationToken);
        var resumed = 0;
        foreach (var id in ended)
        {
            resumed += await ResumeAsync(id, cancellationToken) == Change.Done ? 1 : 0;
        }
        return resumed;
    }

    /// <summary>"Skip tomorrow": the next lesson waiting moves one day later, and every one after it with it.</summary>
    public async Task<Change> SkipNextDayAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        var enrollment = await RunningAsync(enrollmentId, cancellationToken);
        if (enrollment is null)
        {
            return await RefusedAsync(enrollmentId, cancellationToken);
        }
        var schedule = ReaderSchedule.Of(_campaign, enrollment.TimeZone, enrollment.SendAt);
        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        // While paused, the held lessons get their times at the resume: a day off then means a day more of pause.
        var pausedUntil = await db.Enrollments.Where(e => e.Id == enrollmentId && e.Status == EnrollmentStatus.Paused).Select(e => e.PausedUntil).FirstOrDefaultAsync(cancellationToken);
        if (pausedUntil is { } until)
        {
            var later = until + _campaign.DayLength;
            await db.Enrollments.Where(e => e.Id == enrollmentId && e.Status == EnrollmentStatus.Paused)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.PausedUntil, later), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Change.Done;
        }
        var waiting = await WaitingAsync(enrollmentId, cancellationToken);
        foreach (var lesson in waiting)
        {
            var later = LessonSchedule.OneLessonLater(Instant.FromDateTimeUtc(DateTime.SpecifyKind(lesson.DueAt, DateTimeKind.Utc)), schedule.Zone, schedule.SendAt, schedule.DayLength).ToDateTimeUtc();
            await MoveAsync(lesson, later, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return waiting.Count > 0 ? Change.Done : Change.NotAllowed;
    }

    /// <summary>
    /// A new send time and/or zone. The lessons waiting move at once: the next to the new time on the day it
    /// was due (or the next day, if that time has passed), the rest one a day after it.
    /// </summary>
    public async Task<Change> ChangeSendTimeAsync(long enrollmentId, LocalTime? sendAt, DateTimeZone? zone, CancellationToken cancellationToken)
    {
        var enrollment = await RunningAsync(enrollmentId, cancellationToken);
        if (enrollment is null)
        {
            return await RefusedAsync(enrollmentId, cancellationToken);
        }
        var newSendAt = sendAt is { } time ? ReaderSchedule.Format(time) : enrollment.SendAt;
        var newZone = zone?.Id ?? enrollment.TimeZone;
        var schedule = ReaderSchedule.Of(_campaign, newZone, newSendAt);
        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        await db.Enrollments.Where(e => e.Id == enrollmentId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.SendAt, newSendAt).SetProperty(e => e.TimeZone, newZone), cancellationToken);
        // Held lessons get their times when the pause ends; only the scheduled ones move now.
        var waiting = (await WaitingAsync(enrollmentId, cancellationToken)).Where(l => l.State == LessonState.Scheduled).ToList();
        if (waiting.Count > 0 && schedule.DayLength >= LessonSchedule.OneDay)
        {
            var now = Instant.FromDateTimeUtc(DateTime.SpecifyKind(Now(), DateTimeKind.Utc));
            var nextDay = Instant.FromDateTimeUtc(DateTime.SpecifyKind(waiting[0].DueAt, DateTimeKind.Utc)).InZone(schedule.Zone).Date;
            // Never two lessons on one local day: not before the day after the last one sent, in the new zone too.
            if (await DayAfterLastSentAsync(enrollmentId, schedule.Zone, cancellationToken) is { } dayAfter && dayAfter > nextDay)
            {
                nextDay = dayAfter;
            }
            var due = LessonSchedule.Continue(now, waiting.Count, schedule.Zone, schedule.SendAt, schedule.DayLength, notBefore: nextDay);
            for (var i = 0; i < waiting.Count; i++)
            {
                await MoveAsync(waiting[i], due[i].ToDateTimeUtc(), cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return Change.Done;
    }

    /// <summary>Discreet emails on or off, from the next lesson on.</summary>
    public async Task<Change> SetDiscreetAsync(long enrollmentId, bool discreet, CancellationToken cancellationToken) =>
        await db.Enrollments.Where(e => e.Id == enrollmentId && e.Discreet != discreet)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Discreet, discreet), cancellationToken) > 0
            ? Change.Done
            : await db.Enrollments.AnyAsync(e => e.Id == enrollmentId, cancellationToken) ? Change.Already : Change.NotFound;

    /// <summary>"Where are you now?" answered, changed or taken back (null), from the next lesson on.</summary>
    public async Task<Change> SetStageAsync(long enrollmentId, Stage? stage, CancellationToken cancellationToken) =>
        await db.Enrollments.Where(e => e.Id == enrollmentId && e.Stage != stage)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Stage, stage), cancellationToken) > 0
            ? Change.Done
            : await db.Enrollments.AnyAsync(e => e.Id == enrollmentId, cancellationToken) ? Change.Already : Change.NotFound;

    /// <summary>
    /// Open and click tracking on or off. Off also forgets the opens and clicks recorded so far (the reader's
    /// own "I did today's step" stays: it is theirs, not tracking).
    /// </summary>
    public async Task<Change> SetTrackingAsync(long enrollmentId, bool tracking, CancellationToken cancellationToken)
    {
        if (!await db.Enrollments.AnyAsync(e => e.Id == enrollmentId, cancellationToken))
        {
            return Change.NotFound;
        }
        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        var changed = await db.Enrollments.Where(e => e.Id == enrollmentId && e.NoTracking == tracking)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.NoTracking, !tracking), cancellationToken);
        if (!tracking)
        {
            await db.Events.Where(ev => ev.Kind != StepDone && db.Lessons.Any(l => l.Id == ev.LessonId && l.EnrollmentId == enrollmentId))
                .ExecuteDeleteAsync(cancellationToken);
            await db.Lessons.Where(l => l.EnrollmentId == enrollmentId && (l.OpenedAt != null || l.MachineOpenedAt != null || l.ClickedAt != null))
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.OpenedAt, (DateTime?)null).SetProperty(l => l.MachineOpenedAt, (DateTime?)null).SetProperty(l => l.ClickedAt, (DateTime?)null), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return changed > 0 ? Change.Done : Change.Already;
    }

    /// <summary>
    /// An admin's "send Day <paramref name="day"/> again", claimed with one conditional update: only a lesson already
    /// sent or failed for good (<see cref="LessonStates.Resendable"/>), of a course going on or finished
    /// (<see cref="EnrollmentRules.MayResend"/>), at an address still there and not suppressed, and not while another
    /// resend of it is under way (one claimed longer than <paramref name="lease"/> ago is taken over). The lesson's
    /// state, sent time and Message-ID stay as they are: a resend is not a send, so counters, the schedule and the
    /// webhooks don't move. The sender then calls <see cref="RecordResentAsync"/> or <see cref="ReleaseResendAsync"/>.
    /// </summary>
    public async Task<ResendClaim> ClaimResendAsync(long enrollmentId, int day, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = Now();
        var found = await db.Lessons.AsNoTracking().Where(l => l.EnrollmentId == enrollmentId && l.Day == day)
            .Select(l => new { l.State, l.Enrollment!.Status, l.Enrollment.Email, l.ResendClaimedAt }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            var status = await db.Enrollments.Where(e => e.Id == enrollmentId).Select(e => (EnrollmentStatus?)e.Status).FirstOrDefaultAsync(cancellationToken);
            return status is null ? ResendClaim.Refused(Change.NotFound, "no such enrollment") : ResendClaim.Refused(Change.NotAllowed, $"the course is {Lower(status.Value)}: no lessons yet");
        }
        if (!EnrollmentRules.MayResend.Contains(found.Status))
        {
            return ResendClaim.Refused(Change.NotAllowed, $"the course is {Lower(found.Status)}: only a course going on or finished gets a lesson again");
        }
        if (found.Email == ForgottenAddress || (await suppressions.SuppressedAmongAsync([found.Email], cancellationToken)).Count > 0)
        {
            return ResendClaim.Refused(Change.NotAllowed, "the address is forgotten or suppressed: nothing may be sent to it");
        }
        if (!LessonStates.Resendable.Contains(found.State))
        {
            return ResendClaim.Refused(Change.NotAllowed, $"Day {day} is {Lower(found.State)}, not sent or failed: it goes out by itself");
        }
        var takenOver = now - lease;
        var claimed = await db.Lessons
            .Where(l => l.EnrollmentId == enrollmentId && l.Day == day && LessonStates.Resendable.Contains(l.State)
                        && (l.ResendClaimedAt == null || l.ResendClaimedAt < takenOver)
                        && EnrollmentRules.MayResend.Contains(l.Enrollment!.Status) && l.Enrollment.Email != ForgottenAddress)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ResendClaimedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return ResendClaim.Refused(Change.NotAllowed, $"Day {day} is being sent again right now");
        }
        var lesson = await db.Lessons.AsNoTracking().Where(l => l.EnrollmentId == enrollmentId && l.Day == day).Select(LessonStore.ToSend).FirstAsync(cancellationToken);
        var resends = await db.Lessons.Where(l => l.Id == lesson.LessonId).Select(l => l.Resends).FirstAsync(cancellationToken);
        return new ResendClaim(Change.Done, lesson, resends + 1);
    }

    /// <summary>
    /// The mail server accepted the resend: counted on the lesson, with the links and Message-ID of the email as built
    /// and the server's answer (<paramref name="reply"/>, as <see cref="Delivery.SmtpReply"/> keeps it), which replaces the first send's.
    /// </summary>
    public Task RecordResentAsync(long lessonId, string messageId, IReadOnlyList<string> links, string? reply, CancellationToken cancellationToken)
    {
        var answer = reply is null ? null : Delivery.SmtpReply.Fit(reply);
        var now = Now();
        var stored = links.Count == 0 ? null : string.Join('\n', links);
        return db.Lessons.Where(l => l.Id == lessonId && l.ResendClaimedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ResendClaimedAt, (DateTime?)null).SetProperty(l => l.ResentAt, now)
                .SetProperty(l => l.Resends, l => l.Resends + 1).SetProperty(l => l.MessageId, messageId).SetProperty(l => l.Links, stored)
                .SetProperty(l => l.SmtpReply, answer), cancellationToken);
    }

    /// <summary>The resend did not go out (refused, or the server could not be reached): another may be tried at once.</summary>
    public Task ReleaseResendAsync(long lessonId, CancellationToken cancellationToken) =>
        db.Lessons.Where(l => l.Id == lessonId && l.ResendClaimedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ResendClaimedAt, (DateTime?)null), cancellationToken);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>The event kind of "I did today's step".</summary>
    public const string StepDone = "done";

    /// <summary>Records the day's step, the reader's own act; when all seven are done the course counts as completed.</summary>
    public async Task<Change> RecordStepDoneAsync(long lessonId, CancellationToken cancellationToken)
    {
        var now = Now();
        var lesson = await db.Lessons.AsNoTracking().Where(l => l.Id == lessonId).Select(l => new { l.EnrollmentId, l.Day }).FirstOrDefaultAsync(cancellationToken);
        if (lesson is null)
        {
            return Change.NotFound;
        }
        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        var changed = await db.Lessons.Where(l => l.Id == lessonId && l.CompletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.CompletedAt, now), cancellationToken);
        if (changed == 0)
        {
            return Change.Already;
        }
        db.Events.Add(new TrackingEvent { LessonId = lessonId, Kind = StepDone, At = now });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await db.AppendAsync(lesson.EnrollmentId, CourseEvents.LessonCompleted, lesson.Day, now, cancellationToken);
        var completed = await db.Enrollments
            .Where(e => e.Id == lesson.EnrollmentId && e.CompletedAt == null && e.Lessons.Count(l => l.CompletedAt != null) == Campaign.LessonCount)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.CompletedAt, now), cancellationToken);
        if (completed > 0)
        {
            await db.AppendAsync(lesson.EnrollmentId, CourseEvents.Completed, null, now, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return Change.Done;
    }

    /// <summary>Sign-ups never confirmed within <c>Campaign:ConfirmationExpiry</c> are forgotten; returns how many.</summary>
    public Task<int> ForgetUnconfirmedAsync(CancellationToken cancellationToken)
    {
        var expiredBefore = Now() - _campaign.ConfirmationExpiry;
        return db.Enrollments
            .Where(e => e.Status == EnrollmentRules.MayConfirm && (e.ConfirmationRequestedAt ?? e.CreatedAt) < expiredBefore)
            .ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>What a forgotten course keeps in place of its address (and of its lower-cased key): nothing.</summary>
    public const string ForgottenAddress = "";

    /// <summary>Courses forgotten per step of <see cref="ForgetEndedAsync"/>.</summary>
    public const int ForgetBatch = 500;

    /// <summary>
    /// Forgets the person behind courses that ended (finished, unsubscribed, bounced) longer than <paramref name="keptFor"/>
    /// ago: address, name, zone and send time, SMTP replies, per-lesson opens and clicks, and every event row. The rows
    /// stay, counted as before, and the opens and clicks they held are put back into the dashboard's totals in the same
    /// transaction, so the totals do not move. A bounced or complained address stays suppressed by the hash written
    /// when it bounced. A course whose last lesson or note is still being sent waits for the next run.
    /// </summary>
    /// <returns>How many courses were forgotten, at most <see cref="ForgetBatch"/>.</returns>
    public async Task<int> ForgetEndedAsync(TimeSpan keptFor, CancellationToken cancellationToken)
    {
        var endedBefore = Now() - keptFor;
        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.Retention})", cancellationToken);
        }
        var ids = await db.Enrollments.AsNoTracking()
            .Where(e => e.EmailKey != ForgottenAddress
                        && (e.Status == EnrollmentStatus.Finished && e.FinishedAt < endedBefore
                            || e.Status == EnrollmentStatus.Unsubscribed && e.UnsubscribedAt < endedBefore
                            || e.Status == EnrollmentStatus.Bounced && e.BouncedAt < endedBefore)
                        && !e.Lessons.Any(l => l.State == LessonState.Claimed || l.State == LessonState.Sending)
                        && e.FinishedNoteState != LessonState.Scheduled && e.FinishedNoteState != LessonState.Claimed && e.FinishedNoteState != LessonState.Sending)
            .OrderBy(e => e.Id).Select(e => e.Id).Take(ForgetBatch).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        await db.Events.Where(ev => db.Lessons.Any(l => l.Id == ev.LessonId && ids.Contains(l.EnrollmentId))).ExecuteDeleteAsync(cancellationToken);
        // The triggers take the opens and clicks out of the totals when the columns are nulled below; they go back in first.
        await db.Database.ExecuteSqlRawAsync(OverviewTriggers.KeepTrackingTotals(db.IsPostgres, ids), cancellationToken);
        await db.Lessons.Where(l => ids.Contains(l.EnrollmentId))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.OpenedAt, (DateTime?)null).SetProperty(l => l.MachineOpenedAt, (DateTime?)null)
                .SetProperty(l => l.ClickedAt, (DateTime?)null).SetProperty(l => l.LastError, (string?)null), cancellationToken);
        var forgotten = await db.Enrollments.Where(e => ids.Contains(e.Id) && e.EmailKey != ForgottenAddress)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Email, ForgottenAddress).SetProperty(e => e.EmailKey, ForgottenAddress)
                .SetProperty(e => e.FirstName, (string?)null).SetProperty(e => e.TimeZone, ForgottenZone).SetProperty(e => e.SendAt, (string?)null)
                .SetProperty(e => e.Stage, (Stage?)null).SetProperty(e => e.FinishedNoteError, (string?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return forgotten;
    }

    private const string ForgottenZone = "Etc/UTC";

    /// <summary>
    /// Erases a person: every enrollment of the address, its lessons and events go; a suppression entry
    /// (keyed hash only) stays, so they are not mailed again without new consent. Nothing is sent about it.
    /// </summary>
    /// <returns>How many enrollments were erased.</returns>
    public async Task<int> EraseAsync(string address, CancellationToken cancellationToken)
    {
        var key = EmailAddress.Key(address);
        var ids = await db.Enrollments.Where(e => e.EmailKey == key).Select(e => e.Id).ToListAsync(cancellationToken);
        return await EraseAsync(address, ids, cancellationToken);
    }

    /// <summary><see cref="EraseAsync(string, CancellationToken)"/> for the person behind one enrollment ("leave and erase").</summary>
    public async Task<int> EraseEnrollmentAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        var address = await db.Enrollments.Where(e => e.Id == enrollmentId).Select(e => e.Email).FirstOrDefaultAsync(cancellationToken);
        return address switch
        {
            null => 0,
            // Forgotten already: no address left to suppress, and its key would name every other forgotten course.
            ForgottenAddress => await EraseAsync(null, [enrollmentId], cancellationToken),
            _ => await EraseAsync(address, cancellationToken),
        };
    }

    private async Task<int> EraseAsync(string? address, List<long> enrollmentIds, CancellationToken cancellationToken)
    {
        if (enrollmentIds.Count == 0)
        {
            return 0;
        }
        var now = Now();
        // Suppressed first and on its own: should anything below fail, the address is already safe from mail.
        if (address is not null)
        {
            await suppressions.SuppressAsync(address, "erased", cancellationToken);
        }
        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        await db.Events.Where(ev => db.Lessons.Any(l => l.Id == ev.LessonId && enrollmentIds.Contains(l.EnrollmentId)))
            .ExecuteDeleteAsync(cancellationToken);
        await db.Lessons.Where(l => enrollmentIds.Contains(l.EnrollmentId)).ExecuteDeleteAsync(cancellationToken);
        var erased = await db.Enrollments.Where(e => enrollmentIds.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
        await db.AppendAsync([.. enrollmentIds.Select(id => (id, (int?)null))], CourseEvents.Erased, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return erased;
    }

    /// <summary>Lessons and the finished note not yet taken by a sender will never go out; one being sent right now finishes.</summary>
    public static async Task StopSendingAsync(BootcampDb db, long enrollmentId, CancellationToken cancellationToken)
    {
        await db.Lessons.Where(l => l.EnrollmentId == enrollmentId && LessonStates.NotYetTaken.Contains(l.State))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Skipped), cancellationToken);
        await FinishedNoteStore.StopAsync(db, enrollmentId, cancellationToken);
    }

    /// <summary>The local day after the last lesson sent, or null when none was: the earliest day the next may come.</summary>
    private async Task<LocalDate?> DayAfterLastSentAsync(long enrollmentId, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var lastSent = await db.Lessons.Where(l => l.EnrollmentId == enrollmentId && l.SentAt != null).MaxAsync(l => l.SentAt, cancellationToken);
        return lastSent is { } sent ? Instant.FromDateTimeUtc(DateTime.SpecifyKind(sent, DateTimeKind.Utc)).InZone(zone).Date.PlusDays(1) : null;
    }

    private sealed record RunningCourse(string TimeZone, string? SendAt);

    private sealed record WaitingLesson(long Id, LessonState State, DateTime DueAt);

    private Task<RunningCourse?> RunningAsync(long enrollmentId, CancellationToken cancellationToken) =>
        db.Enrollments.AsNoTracking().Where(e => e.Id == enrollmentId && EnrollmentRules.Running.Contains(e.Status))
            .Select(e => new RunningCourse(e.TimeZone, e.SendAt)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The lessons a reader's choices may still move: waiting for their time, or held by a pause; in order.</summary>
    private Task<List<WaitingLesson>> WaitingAsync(long enrollmentId, CancellationToken cancellationToken) =>
        db.Lessons.AsNoTracking()
            .Where(l => l.EnrollmentId == enrollmentId && (l.State == LessonState.Scheduled || l.State == LessonState.Held))
            .OrderBy(l => l.Day).Select(l => new WaitingLesson(l.Id, l.State, l.DueAt)).ToListAsync(cancellationToken);

    /// <summary>Moves a lesson only while it still waits: one a dispatcher claimed meanwhile goes at its old time.</summary>
    private Task<int> MoveAsync(WaitingLesson lesson, DateTime dueAt, CancellationToken cancellationToken) =>
        db.Lessons.Where(l => l.Id == lesson.Id && l.State == lesson.State)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.DueAt, dueAt), cancellationToken);

    private async Task<Change> RefusedAsync(long enrollmentId, CancellationToken cancellationToken) =>
        await db.Enrollments.AnyAsync(e => e.Id == enrollmentId, cancellationToken) ? Change.NotAllowed : Change.NotFound;

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
