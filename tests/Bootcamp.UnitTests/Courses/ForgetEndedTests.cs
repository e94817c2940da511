using System.Text.Json;
using Bootcamp.Admin;
using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Housekeeping;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Bootcamp.UnitTests.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace Bootcamp.UnitTests.Courses;

/// <summary>Retention: what is left of a reader once their course ended longer than <c>Retention:KeepEndedFor</c> ago.</summary>
public sealed class ForgetEndedTests
{
    private static readonly TimeSpan KeepEndedFor = TimeSpan.FromDays(90);

    [Theory]
    [MemberData(nameof(CourseRecordTests.Providers), MemberType = typeof(CourseRecordTests))]
    public async Task Courses_ended_longer_ago_lose_address_name_opens_clicks_and_events_while_the_totals_stay(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var finished = await SeedTrackedAsync(rig, new EnrollmentBuilder().For("ann@example.org").Finished(TimeSpan.Zero));
        var bounced = await SeedTrackedAsync(rig, new EnrollmentBuilder().For("bob@example.org").Claimed(day: 3));
        await rig.RecordAsync(r => r.BounceAsync(bounced, "bob@example.org", "hard-bounce", CancellationToken.None));
        var running = await SeedTrackedAsync(rig, new EnrollmentBuilder().For("dan@example.org").Claimed(day: 2));
        rig.Time.Advance(TimeSpan.FromDays(80));
        var unsubscribed = await SeedTrackedAsync(rig, new EnrollmentBuilder().For("cat@example.org").Claimed(day: 2));
        await rig.RecordAsync(r => r.UnsubscribeAsync(unsubscribed, CancellationToken.None));
        rig.Time.Advance(TimeSpan.FromDays(11));
        var statsBefore = await StatsAsync(rig);

        var first = await rig.RecordAsync(r => r.ForgetEndedAsync(KeepEndedFor, CancellationToken.None));
        var statsAfter = await StatsAsync(rig);
        var recordAfter = await SnapshotAsync(rig);
        var second = await rig.RecordAsync(r => r.ForgetEndedAsync(KeepEndedFor, CancellationToken.None));

        Assert.Equal((2, 0), (first, second));
        // Four readers, each with lesson 1 opened and clicked and lesson 2 opened by a machine.
        Assert.Contains("\"Day\":1,\"Sent\":4,\"Opened\":4,\"MachineOpened\":0,\"Clicked\":4", statsBefore);
        Assert.Equal(statsBefore, statsAfter);
        Assert.Equal(statsBefore, await StatsAsync(rig));
        Assert.Equal(recordAfter, await SnapshotAsync(rig));
        foreach (var id in new[] { finished, bounced })
        {
            var gone = await rig.EnrollmentAsync(id);
            Assert.Equal((CourseRecord.ForgottenAddress, CourseRecord.ForgottenAddress, (string?)null, (Stage?)null), (gone.Email, gone.EmailKey, gone.FirstName, gone.Stage));
            Assert.All(gone.Lessons, l => Assert.Equal((null, null, null, null), (l.OpenedAt, l.MachineOpenedAt, l.ClickedAt, l.LastError)));
            Assert.Empty(await EventKindsAsync(rig, id));
        }
        await using (var db = rig.Db())
        {
            Assert.False(await db.Enrollments.AnyAsync(e => e.Email.Contains("ann") || e.Email.Contains("bob") || e.EmailKey.Contains("ann") || e.EmailKey.Contains("bob")));
            var suppressed = await new SuppressionList(db, new AddressHasher(rig.Secrets), rig.Time).SuppressedAmongAsync(["bob@example.org", "ann@example.org"], CancellationToken.None);
            Assert.Equal(["bob@example.org"], suppressed);
        }
        foreach (var (id, address) in new[] { (unsubscribed, "cat@example.org"), (running, "dan@example.org") })
        {
            var kept = await rig.EnrollmentAsync(id);
            Assert.Equal((address, "Sam"), (kept.Email, kept.FirstName));
            Assert.NotNull(kept.Lessons[0].OpenedAt);
            Assert.Equal(["click:0", "open"], await EventKindsAsync(rig, id));
        }
    }

    [Fact]
    public async Task The_retention_job_removes_pickup_files_older_than_the_setting_and_keeps_newer_ones()
    {
        await using var rig = await RecordRig.StartAsync("Sqlite");
        var directory = Directory.CreateTempSubdirectory("bootcamp-pickup-").FullName;
        try
        {
            string File(string name, TimeSpan age)
            {
                var path = Path.Combine(directory, name);
                System.IO.File.WriteAllText(path, "To: ann@example.org\r\n\r\nhello");
                System.IO.File.SetLastWriteTimeUtc(path, rig.Now - age);
                return path;
            }
            var old = File("old.eml", TimeSpan.FromDays(91));
            var crashed = File("crashed.tmp", TimeSpan.FromDays(91));
            var recent = File("recent.eml", TimeSpan.FromDays(89));

            var environment = Substitute.For<IHostEnvironment>();
            environment.ContentRootPath.Returns(directory);
            await rig.RecordAsync(async record =>
            {
                var job = new RetentionJob(record, Options.Create(new RetentionOptions { KeepEndedFor = KeepEndedFor }), Options.Create(new SmtpOptions { PickupDirectory = directory }),
                    environment, rig.Time, new DatabaseOutage(rig.Time, NullLogger<DatabaseOutage>.Instance), NullLogger<RetentionJob>.Instance);
                await job.RunAsync(CancellationToken.None);
                return 0;
            });

            Assert.Equal((false, false, true), (System.IO.File.Exists(old), System.IO.File.Exists(crashed), System.IO.File.Exists(recent)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A reader named Sam whose first lesson was opened and clicked, the second opened by a machine only.</summary>
    private static async Task<long> SeedTrackedAsync(RecordRig rig, EnrollmentBuilder builder)
    {
        var enrollment = await rig.SeedAsync(builder);
        var (first, second) = (enrollment.Lessons.Single(l => l.Day == 1).Id, enrollment.Lessons.Single(l => l.Day == 2).Id);
        await using var db = rig.Db();
        await db.Enrollments.Where(e => e.Id == enrollment.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.FirstName, "Sam").SetProperty(e => e.Stage, Stage.Months).SetProperty(e => e.FinishedNoteState, e => e.FinishedNoteState == null ? null : LessonState.Sent));
        await db.Lessons.Where(l => l.Id == first).ExecuteUpdateAsync(s => s.SetProperty(l => l.OpenedAt, rig.Now).SetProperty(l => l.ClickedAt, rig.Now)
            .SetProperty(l => l.LastError, $"451 4.2.0 <{enrollment.Email}>: try later"));
        await db.Lessons.Where(l => l.Id == second).ExecuteUpdateAsync(s => s.SetProperty(l => l.MachineOpenedAt, rig.Now));
        db.Events.AddRange(new TrackingEvent { LessonId = first, Kind = "open", At = rig.Now }, new TrackingEvent { LessonId = first, Kind = "click:0", At = rig.Now });
        await db.SaveChangesAsync();
        return enrollment.Id;
    }

    /// <summary>The dashboard's figures, as /admin/api/stats serves them.</summary>
    private static async Task<string> StatsAsync(RecordRig rig)
    {
        await using var db = rig.Db();
        // The overview's totals (by sign-up day, discretion and course day) must stay as well: summed over their
        // shards, which on PostgreSQL are the writing session's, not the course's.
        var overview = (await db.OverviewCounts.AsNoTracking().ToListAsync())
            .GroupBy(c => (c.Cohort, c.Discreet, c.Day))
            .Select(g => new
            {
                g.Key.Cohort, g.Key.Discreet, g.Key.Day,
                Counts = new[] { g.Sum(c => c.Enrolled), g.Sum(c => c.Confirmed), g.Sum(c => c.Finished), g.Sum(c => c.Completed), g.Sum(c => c.LeftCourse),
                    g.Sum(c => c.Sent), g.Sum(c => c.Opened), g.Sum(c => c.MachineOpened), g.Sum(c => c.Clicked), g.Sum(c => c.Done), g.Sum(c => c.Untracked), g.Sum(c => c.Failed) },
            })
            .Where(t => t.Counts.Any(n => n != 0))
            .OrderBy(t => t.Cohort).ThenBy(t => t.Discreet).ThenBy(t => t.Day)
            .ToList();
        return JsonSerializer.Serialize(await new DashboardQueries(db).StatsAsync(CancellationToken.None)) + JsonSerializer.Serialize(overview);
    }

    /// <summary>Every enrollment, lesson and event as stored.</summary>
    private static async Task<string> SnapshotAsync(RecordRig rig)
    {
        await using var db = rig.Db();
        return JsonSerializer.Serialize(new
        {
            Enrollments = await db.Enrollments.AsNoTracking().Include(e => e.Lessons.OrderBy(l => l.Day)).OrderBy(e => e.Id).ToListAsync(),
            Events = await db.Events.AsNoTracking().OrderBy(e => e.Id).ToListAsync(),
            Suppressions = await db.Suppressions.AsNoTracking().OrderBy(s => s.AddressHash).ToListAsync(),
        }, new JsonSerializerOptions { ReferenceHandler = System.Text.Json.Serialization.ReferenceHandler.IgnoreCycles });
    }

    private static async Task<List<string>> EventKindsAsync(RecordRig rig, long enrollmentId)
    {
        await using var db = rig.Db();
        return await db.Events.Where(ev => db.Lessons.Any(l => l.Id == ev.LessonId && l.EnrollmentId == enrollmentId)).Select(ev => ev.Kind).OrderBy(k => k).ToListAsync();
    }
}
