using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Bootcamp.IntegrationTests.Operations;

/// <summary>
/// The running host's retention job, on its own schedule: a reader who unsubscribed and one who finished longer than
/// Retention:KeepEndedFor ago lose their address, name, opens, clicks and events, the dashboard's totals do not
/// move, and the pickup files older than that go while a recent one stays.
/// </summary>
public sealed class RetentionOnHostTests
{
    // Far longer than the test: the ended courses and their files are dated back beyond it, as two days later they
    // would be, so no margin of the machine's speed decides what is old.
    private static readonly TimeSpan KeepEndedFor = TimeSpan.FromDays(1);
    private const string Browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)";

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Ended_courses_are_forgotten_and_old_pickup_files_removed_by_the_scheduled_job_while_totals_stay(string provider)
    {
        var pickup = TestScratch.NewPath("pickup");
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), null,
            $"--Smtp:PickupDirectory={pickup}", $"--Retention:KeepEndedFor={KeepEndedFor}", "--Jobs:HousekeepingInterval=00:00:00.500",
            "--Campaign:FinishedNote=false");
        var mail = new PickupMail(pickup);

        // One reader opens and clicks Day 1, then unsubscribes; another reads to the end.
        var leaving = await JoinAsync(host, mail, "leaving@example.org");
        var finishing = await JoinAsync(host, mail, "finishing@example.org");
        var dayOne = await mail.WaitForAsync("leaving@example.org", m => m.Headers.Contains("List-Unsubscribe"));
        using (var open = new HttpRequestMessage(HttpMethod.Get, dayOne.Message.Link("/t/o/")))
        {
            open.Headers.TryAddWithoutValidation("User-Agent", Browser);
            using var pixel = await host.Http.SendAsync(open);
            Assert.Equal(HttpStatusCode.OK, pixel.StatusCode);
        }
        using (var click = new HttpRequestMessage(HttpMethod.Get, dayOne.Message.Links("/t/c/")[0]))
        {
            click.Headers.TryAddWithoutValidation("User-Agent", Browser);
            using var redirect = await host.Http.SendAsync(click);
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        }
        await Eventually.ReturnsAsync(() => host.QueryAsync(db => db.Lessons.AnyAsync(l => l.EnrollmentId == leaving && l.OpenedAt != null && l.ClickedAt != null)),
            recorded => recorded, what: "the open and the click to be recorded");
        using (var unsubscribe = await host.Http.PostAsync(dayOne.Message.Link("/u/"), null))
        {
            Assert.True(unsubscribe.IsSuccessStatusCode, $"unsubscribe answered {(int)unsubscribe.StatusCode}");
        }
        await Eventually.ReturnsAsync(() => host.QueryAsync(db => db.Enrollments.CountAsync(e =>
                e.Id == leaving && e.Status == EnrollmentStatus.Unsubscribed || e.Id == finishing && e.Status == EnrollmentStatus.Finished)),
            ended => ended == 2, TimeSpan.FromSeconds(60), "one reader to unsubscribe and the other to finish");
        Assert.True(await host.QueryAsync(db => db.Events.AnyAsync(ev => db.Lessons.Any(l => l.Id == ev.LessonId && l.EnrollmentId == leaving))),
            "the leaving reader's opens and clicks are in the events table before retention runs");

        using var admin = await AdminClient.SignInAsync(host);
        var totalsBefore = await TotalsAsync(admin);
        var oldFiles = mail.FilesTo("leaving@example.org");
        Assert.NotEmpty(oldFiles);
        await SignUpAsync(host, "recent@example.org");
        var recent = await mail.WaitForAsync("recent@example.org", _ => true);

        // Two days on for the ended courses and the leaving reader's files; the recent sign-up's file stays as it is.
        var twoDaysAgo = DateTime.UtcNow.AddDays(-2);
        foreach (var file in oldFiles)
        {
            File.SetLastWriteTimeUtc(file, twoDaysAgo);
        }
        await host.QueryAsync(db => db.Enrollments.Where(e => e.Id == leaving).ExecuteUpdateAsync(s => s.SetProperty(e => e.UnsubscribedAt, twoDaysAgo)));
        await host.QueryAsync(db => db.Enrollments.Where(e => e.Id == finishing).ExecuteUpdateAsync(s => s.SetProperty(e => e.FinishedAt, twoDaysAgo)));

        await Eventually.ReturnsAsync(() => Task.FromResult(oldFiles.Count(File.Exists)), left => left == 0, TimeSpan.FromSeconds(60), "the leaving reader's pickup files to be removed");
        Assert.True(File.Exists(recent.Path), "a pickup file younger than Retention:KeepEndedFor was removed");

        await Eventually.ReturnsAsync(() => host.QueryAsync(db => db.Enrollments.CountAsync(e => e.Id == leaving && e.Email == "leaving@example.org" || e.Id == finishing && e.Email == "finishing@example.org")),
            left => left == 0, TimeSpan.FromSeconds(60), "both ended readers to be forgotten");
        foreach (var id in new[] { leaving, finishing })
        {
            var enrollment = await host.QueryAsync(db => db.Enrollments.AsNoTracking().SingleAsync(e => e.Id == id));
            Assert.DoesNotContain("@example.org", enrollment.Email, StringComparison.Ordinal);
            Assert.Null(enrollment.FirstName);
            Assert.False(await host.QueryAsync(db => db.Lessons.AnyAsync(l => l.EnrollmentId == id && (l.OpenedAt != null || l.ClickedAt != null || l.MachineOpenedAt != null))));
            Assert.False(await host.QueryAsync(db => db.Events.AnyAsync(ev => db.Lessons.Any(l => l.Id == ev.LessonId && l.EnrollmentId == id))));
        }
        Assert.Equal(totalsBefore, await TotalsAsync(admin));
    }

    private static async Task SignUpAsync(TestHost host, string address)
    {
        using var signup = await host.Http.PostAsJsonAsync("/api/enrollments", new { email = address, firstName = "Sam", timeZone = "Europe/Paris", tracking = true });
        Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);
    }

    private static async Task<long> JoinAsync(TestHost host, PickupMail mail, string address)
    {
        await SignUpAsync(host, address);
        var confirmation = await mail.WaitForAsync(address, m => m.TextBody?.Contains("/confirm/", StringComparison.Ordinal) == true);
        using (var confirmed = await host.Http.PostAsync(confirmation.Message.Link("/confirm/"), null))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        return await host.QueryAsync(db => db.Enrollments.Where(e => e.Email == address).Select(e => e.Id).SingleAsync());
    }

    /// <summary>What the dashboard counts: lessons sent, opened, clicked, completed per day, and courses per state but "pending" (the recent sign-up adds one).</summary>
    private static async Task<string> TotalsAsync(HttpClient admin)
    {
        var stats = JsonNode.Parse(await admin.GetStringAsync("/admin/api/stats"))!.AsObject();
        stats["enrollments"]!.AsObject().Remove("pending");
        return stats.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>The pickup directory read as a mailbox.</summary>
    private sealed class PickupMail(string directory)
    {
        public List<string> FilesTo(string address) => [.. All().Where(m => m.Message.To.Mailboxes.Any(b => b.Address == address)).Select(m => m.Path)];

        public Task<(string Path, MimeMessage Message)> WaitForAsync(string address, Func<MimeMessage, bool> which) =>
            Eventually.ReturnsAsync(() => Task.FromResult(All().FirstOrDefault(m => m.Message.To.Mailboxes.Any(b => b.Address == address) && which(m.Message))),
                found => found.Message is not null, TimeSpan.FromSeconds(60), $"a pickup file to {address}");

        private List<(string Path, MimeMessage Message)> All()
        {
            var found = new List<(string, MimeMessage)>();
            foreach (var file in Directory.Exists(directory) ? Directory.GetFiles(directory, "*.eml") : [])
            {
                try
                {
                    found.Add((file, MimeMessage.Load(file)));
                }
                catch (IOException)
                {
                    // Removed by the job between listing and reading.
                }
            }
            return found;
        }
    }
}
