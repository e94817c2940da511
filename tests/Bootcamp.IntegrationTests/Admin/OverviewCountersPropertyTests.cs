using System.Globalization;
using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.Persistence;
using Bootcamp.Persistence.Migrations;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>
/// The overview's totals and the dashboard's course totals are kept by triggers (and, for a sender's chunk, by its
/// own statements); whatever happens to courses and lessons, in any order, they must equal a count of the rows.
/// Random runs of the course record's own transitions (and the sender's and the tracker's writes), each run on top
/// of the last, then the totals against the recount.
/// </summary>
public sealed class OverviewCountersPropertyTests
{
    private enum Step { SignUp, Confirm, Send, SendRest, Open, MachineOpen, Click, StepDone, Fail, Finish, Unsubscribe, Pause, Resume, TrackingOff, TrackingOn, Discreet, Bounce, Erase, Retry }

    private static readonly Gen<(Step Step, int Pick, int Days)> Steps =
        Gen.Select(Gen.Enum<Step>(), Gen.Int[0, 1000], Gen.Int[0, 20]);

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task The_totals_equal_a_recount_after_any_mix_of_events(string provider)
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), smtpPort: null);
        var courses = new List<long>();
        // Retries and failures are a log, not a state of the rows: no recount can check them, so the run keeps its own.
        var logged = new Dictionary<string, long> { ["retried"] = 0, ["failed_bounce"] = 0 };
        var applied = 0;
        await Steps.Array[1, 40].SampleAsync(async steps =>
        {
            foreach (var (step, pick, days) in steps)
            {
                await using var scope = host.Services.CreateAsyncScope();
                await ApplyAsync(scope.ServiceProvider, courses, logged, step, pick, days);
                applied++;
            }
            var (kept, recounted) = await host.QueryAsync(CompareAsync);
            Assert.Equal(recounted, kept);
            var keptLog = await host.QueryAsync(db => db.ActivityCounts.Where(a => logged.Keys.Contains(a.Name))
                .GroupBy(a => a.Name).Select(g => new { g.Key, Count = g.Sum(a => a.Count) }).ToDictionaryAsync(g => g.Key, g => g.Count));
            Assert.Equal(logged.Where(l => l.Value != 0).OrderBy(l => l.Key), keptLog.Where(l => l.Value != 0).OrderBy(l => l.Key));
        }, iter: 25, threads: 1, print: steps => string.Join(", ", steps.Select(s => s.ToString())));
        // The samples ran (the list of courses itself may end empty: an erasure takes its course off it).
        Assert.True(applied > 0);
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_senders_chunks_count_tracked_untracked_and_discreet_readers_as_a_recount_does(string provider)
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), smtpPort: null);
        var courses = new List<long>();
        var logged = new Dictionary<string, long> { ["retried"] = 0, ["failed_bounce"] = 0 };
        // Pick 0 signs up a discreet reader without tracking, pick 1 a reader with neither; each gets two lessons.
        (Step, int)[] steps = [(Step.SignUp, 0), (Step.SignUp, 1), (Step.Confirm, 0), (Step.Confirm, 1), (Step.Send, 0), (Step.Send, 1), (Step.Send, 0), (Step.Send, 1)];
        foreach (var (step, pick) in steps)
        {
            await using var scope = host.Services.CreateAsyncScope();
            await ApplyAsync(scope.ServiceProvider, courses, logged, step, pick, days: 0);
        }
        var sent = await host.QueryAsync(db => db.Lessons.Where(l => l.SentAt != null).GroupBy(l => l.Enrollment!.NoTracking).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        Assert.Equal(2, sent[true]);
        Assert.Equal(2, sent[false]);
        var (kept, recounted) = await host.QueryAsync(CompareAsync);
        Assert.Equal(recounted, kept);
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Courses_ended_by_a_senders_chunk_or_alone_count_as_a_recount_does(string provider)
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), smtpPort: null);
        var courses = new List<long>();
        var logged = new Dictionary<string, long> { ["retried"] = 0, ["failed_bounce"] = 0 };
        // Picks 0 and 1: a discreet reader without tracking and a reader with neither, whose seventh lessons end their
        // courses in the sender's chunk; pick 2: a course whose lessons all failed, ended alone (pick 5: odd, the third course).
        List<(Step, int)> steps = [(Step.SignUp, 0), (Step.SignUp, 1), (Step.SignUp, 2), (Step.Confirm, 0), (Step.Confirm, 1), (Step.Confirm, 2)];
        for (var day = 1; day <= Bootcamp.Domain.Campaign.LessonCount; day++)
        {
            steps.AddRange([(Step.Send, 0), (Step.Send, 1), (Step.Fail, 2)]);
        }
        steps.Add((Step.Finish, 5));
        foreach (var (step, pick) in steps)
        {
            await using var scope = host.Services.CreateAsyncScope();
            await ApplyAsync(scope.ServiceProvider, courses, logged, step, pick, days: 1);
        }
        Assert.Equal(3, await host.QueryAsync(db => db.Enrollments.CountAsync(e => e.Status == EnrollmentStatus.Finished)));
        var (kept, recounted) = await host.QueryAsync(CompareAsync);
        Assert.Equal(recounted, kept);
    }

    private static async Task ApplyAsync(IServiceProvider services, List<long> courses, Dictionary<string, long> logged, Step step, int pick, int days)
    {
        var db = services.GetRequiredService<BootcampDb>();
        var record = services.GetRequiredService<CourseRecord>();
        var now = DateTime.UtcNow;
        if (step == Step.SignUp || courses.Count == 0)
        {
            var email = $"p{Guid.NewGuid():N}@example.org";
            var enrollment = new EnrollmentRecord
            {
                Email = email, EmailKey = email, TimeZone = "Europe/Paris", Discreet = pick % 3 == 0, NoTracking = pick % 4 == 0,
                Status = EnrollmentStatus.Pending, CreatedAt = now.AddDays(-days).AddMinutes(-pick), ConfirmationRequestedAt = now,
                ConsentSource = "api", ConsentVersion = "test",
            };
            db.Enrollments.Add(enrollment);
            await db.SaveChangesAsync();
            courses.Add(enrollment.Id);
            return;
        }
        var id = courses[pick % courses.Count];
        var lessons = db.Lessons.Where(l => l.EnrollmentId == id);
        switch (step)
        {
            case Step.Confirm:
                await record.ConfirmAsync(id, CancellationToken.None);
                break;
            case Step.Send:
                await SendNextAsync(services, db, lessons, id, now, days);
                break;
            case Step.SendRest:
                // The course's lessons left, one after another: the last one ends the course in the sender's chunk.
                for (var day = 0; day < Bootcamp.Domain.Campaign.LessonCount && await SendNextAsync(services, db, lessons, id, now, days); day++)
                {
                }
                break;
            case Step.Open:
                await SentLesson(lessons, pick).ExecuteUpdateAsync(s => s.SetProperty(l => l.OpenedAt, now));
                break;
            case Step.MachineOpen:
                await SentLesson(lessons, pick).Where(l => l.MachineOpenedAt == null).ExecuteUpdateAsync(s => s.SetProperty(l => l.MachineOpenedAt, now));
                break;
            case Step.Click:
                await SentLesson(lessons, pick).ExecuteUpdateAsync(s => s.SetProperty(l => l.ClickedAt, now).SetProperty(l => l.OpenedAt, l => l.OpenedAt ?? now));
                break;
            case Step.StepDone:
                var sent = await lessons.Where(l => l.State == LessonState.Sent).Select(l => l.Id).ToListAsync();
                if (sent.Count > 0)
                {
                    await record.RecordStepDoneAsync(sent[pick % sent.Count], CancellationToken.None);
                }
                break;
            case Step.Fail:
                var failing = await lessons.Where(l => l.State == LessonState.Scheduled || l.State == LessonState.Claimed).OrderBy(l => l.Day).Select(l => (long?)l.Id).FirstOrDefaultAsync();
                logged["failed_bounce"] += await db.Lessons.Where(l => l.Id == failing)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Failed).SetProperty(l => l.LastError, "5.1.1 no such user"));
                break;
            case Step.Retry:
                // A 4xx while sending: back to the schedule with one attempt more, counted as a retry.
                var retrying = await lessons.Where(l => l.State == LessonState.Scheduled || l.State == LessonState.Claimed).OrderBy(l => l.Day).Select(l => (long?)l.Id).FirstOrDefaultAsync();
                if (retrying is { } retry)
                {
                    await db.Lessons.Where(l => l.Id == retry).ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Sending));
                    await services.GetRequiredService<LessonStore>().RescheduleAsync(retry, now.AddMinutes(5), "451 4.3.0 try again later", CancellationToken.None);
                    logged["retried"]++;
                }
                break;
            case Step.Finish when pick % 2 == 0:
                await services.GetRequiredService<LessonStore>().FinishIfDoneAsync(id, now, finishedNoteDue: null, CancellationToken.None);
                break;
            case Step.Finish:
                // As the sender's chunk ends courses, alone (housekeeping's check for courses left unfinished).
                await services.GetRequiredService<LessonStore>().FinishIfDoneAsync([(id, days % 2 == 0 ? null : now.AddHours(days))], now, CancellationToken.None);
                break;
            case Step.Unsubscribe:
                await record.UnsubscribeAsync(id, CancellationToken.None);
                break;
            case Step.Pause:
                await record.PauseAsync(id, 1 + days % 5, CancellationToken.None);
                break;
            case Step.Resume:
                await record.ResumeAsync(id, CancellationToken.None);
                break;
            case Step.TrackingOff:
                await record.SetTrackingAsync(id, tracking: false, CancellationToken.None);
                break;
            case Step.TrackingOn:
                await record.SetTrackingAsync(id, tracking: true, CancellationToken.None);
                break;
            case Step.Discreet:
                await record.SetDiscreetAsync(id, pick % 2 == 0, CancellationToken.None);
                break;
            case Step.Bounce:
                var address = await db.Enrollments.Where(e => e.Id == id).Select(e => e.Email).FirstOrDefaultAsync();
                if (address is not null)
                {
                    await record.BounceAsync(id, address, "hard-bounce", CancellationToken.None);
                }
                break;
            case Step.Erase:
                await record.EraseEnrollmentAsync(id, CancellationToken.None);
                courses.Remove(id);
                break;
        }
    }

    /// <summary>
    /// The first lesson not yet sent, claimed, then taken and marked sent by the sender's own statements (on PostgreSQL
    /// they count themselves, with the counter triggers stepped aside). A course that may not send keeps its lesson
    /// back, as a sender's take would. Returns whether a lesson went out.
    /// </summary>
    private static async Task<bool> SendNextAsync(IServiceProvider services, BootcampDb db, IQueryable<LessonRecord> lessons, long id, DateTime now, int days)
    {
        var next = await lessons.Where(l => l.State == LessonState.Scheduled || l.State == LessonState.Claimed).OrderBy(l => l.Day).Select(l => (long?)l.Id).FirstOrDefaultAsync();
        if (next is not { } lessonId)
        {
            return false;
        }
        var sender = services.GetRequiredService<LessonStore>();
        // Due now and claimed by the dispatcher's own statement (which steps the counter trigger aside for itself)
        // inside a caller's transaction that goes on to a change that counts: lessons sent before are opened, and must
        // be counted as such.
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Lessons.Where(l => l.Id == lessonId && l.State == LessonState.Scheduled).ExecuteUpdateAsync(s => s.SetProperty(l => l.DueAt, now.AddSeconds(-1)));
            await sender.ClaimDueAsync(now, now.AddMinutes(-10), 100, CancellationToken.None);
            await lessons.Where(l => l.State == LessonState.Sent && l.OpenedAt == null).ExecuteUpdateAsync(s => s.SetProperty(l => l.OpenedAt, now));
            await transaction.CommitAsync();
        }
        var taken = await sender.RecordThenTakeAsync(new SentChunk([], []), [new LessonTake(lessonId, null, $"<{lessonId}@test>")], now, CancellationToken.None);
        if (taken.Count == 0)
        {
            return false;
        }
        // The last lesson may end the course in the same step, as the sender's chunk ends it.
        var last = await db.Lessons.Where(l => l.Id == lessonId).Select(l => l.Day).SingleAsync() == Bootcamp.Domain.Campaign.LessonCount;
        await sender.RecordThenTakeAsync(new SentChunk([lessonId], last ? [(id, now.AddHours(days))] : []), [], now, CancellationToken.None);
        return true;
    }

    private static IQueryable<LessonRecord> SentLesson(IQueryable<LessonRecord> lessons, int pick) =>
        lessons.Where(l => l.SentAt != null && l.Day == 1 + pick % Bootcamp.Domain.Campaign.LessonCount);

    /// <summary>The kept totals and the recount, each as sorted lines of its non-zero rows.</summary>
    private static async Task<(List<string> Kept, List<string> Recounted)> CompareAsync(BootcampDb db)
    {
        var kept = await db.OverviewCounts.AsNoTracking().ToListAsync();
        var recounted = await db.OverviewCounts.FromSqlRaw(OverviewTriggers.Recount(db.IsPostgres)).AsNoTracking().ToListAsync();
        var keptActivity = await db.ActivityCounts.AsNoTracking().Where(a => a.Name == "signed_up" || a.Name == "confirmed" || a.Name == "finished" || a.Name == "sent").ToListAsync();
        var recountedActivity = await db.ActivityCounts.FromSqlRaw(OverviewTriggers.RecountActivity(db.IsPostgres)).AsNoTracking().ToListAsync();
        // The dashboard's course totals: by status, and completed.
        var keptTotals = await db.EnrollmentStats.GroupBy(s => s.Name).Select(g => new { g.Key, Count = g.Sum(s => s.Count) }).Where(t => t.Count != 0).ToListAsync();
        var statuses = await db.Enrollments.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var completed = await db.Enrollments.CountAsync(e => e.CompletedAt != null);
        var recountedTotals = statuses.Select(s => (s.Key.ToString(), (long)s.Count)).Append(("completed", completed)).Where(t => t.Item2 != 0);
        return ([.. Lines(kept), .. Lines(keptActivity), .. keptTotals.Select(t => $"{t.Key} {t.Count}").Order(StringComparer.Ordinal)],
            [.. Lines(recounted), .. Lines(recountedActivity), .. recountedTotals.Select(t => $"{t.Item1} {t.Item2}").Order(StringComparer.Ordinal)]);
    }

    // A total is the sum over its shards: PostgreSQL's triggers write the shard of the session, the recount the course's.
    private static IEnumerable<string> Lines(IEnumerable<OverviewCountsRow> rows) => rows
        .GroupBy(r => (r.Cohort, r.Discreet, r.Day))
        .Select(g => string.Join(' ', g.Key.Cohort.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), g.Key.Discreet, g.Key.Day,
            g.Sum(r => r.Enrolled), g.Sum(r => r.Confirmed), g.Sum(r => r.Finished), g.Sum(r => r.Completed), g.Sum(r => r.LeftCourse), g.Sum(r => r.Sent),
            g.Sum(r => r.Opened), g.Sum(r => r.MachineOpened), g.Sum(r => r.Clicked), g.Sum(r => r.Done), g.Sum(r => r.Untracked), g.Sum(r => r.Failed)))
        .Where(line => !line.EndsWith(" 0 0 0 0 0 0 0 0 0 0 0 0", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal);

    private static IEnumerable<string> Lines(IEnumerable<ActivityCountsRow> rows) => rows
        .GroupBy(r => (r.Name, r.Bucket))
        .Where(g => g.Sum(r => r.Count) != 0)
        .Select(g => string.Join(' ', g.Key.Name, g.Key.Bucket.ToString("yyyy-MM-dd HH", CultureInfo.InvariantCulture), g.Sum(r => r.Count)))
        .Order(StringComparer.Ordinal);
}
