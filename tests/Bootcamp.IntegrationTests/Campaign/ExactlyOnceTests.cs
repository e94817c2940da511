using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Bootcamp.Lessons;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Campaign;

/// <summary>Seven lessons, each exactly once, whatever the executor, the mail server or the processes do.</summary>
public sealed class ExactlyOnceTests
{
    [Fact]
    public async Task Running_the_same_batch_job_twice_sends_each_lesson_once()
    {
        await using var sink = await SmtpSink.StartAsync();
        // A long day keeps lessons 2–7 in the future, so only what this test claims can go out.
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Postgres"), sink.Port, "--Campaign:DayLength=1.00:00:00");
        var readers = Enumerable.Range(0, 3).Select(i => new Subscriber(host, sink, $"twice-{i}@example.org")).ToList();
        foreach (var reader in readers)
        {
            await reader.JoinAsync();
            await reader.WaitForLessonsAsync(1);
        }
        // Make lesson 2 of every reader due and claim it, as the dispatcher would, but run its job by hand twice.
        var ids = await host.QueryAsync(async db =>
        {
            await db.Lessons.Where(l => l.Day == 2).ExecuteUpdateAsync(s => s
                .SetProperty(l => l.State, LessonState.Claimed).SetProperty(l => l.ClaimedAt, DateTime.UtcNow));
            return await db.Lessons.Where(l => l.Day == 2).Select(l => l.Id).ToArrayAsync();
        });

        await Task.WhenAll(
            host.InScopeAsync<LessonBatchJob, bool>(async job => { await job.SendAsync(ids, CancellationToken.None); return true; }),
            host.InScopeAsync<LessonBatchJob, bool>(async job => { await job.SendAsync(ids, CancellationToken.None); return true; }));
        await host.InScopeAsync<LessonBatchJob, bool>(async job => { await job.SendAsync(ids, CancellationToken.None); return true; });

        foreach (var reader in readers)
        {
            Assert.Equal([1, 2], reader.Lessons.Select(m => m.Day()));
        }
    }

    [Fact]
    public async Task Two_hosts_on_one_database_send_every_lesson_and_the_finished_note_exactly_once()
    {
        await using var sink = await SmtpSink.StartAsync();
        var storage = await TestStorage.CreateAsync("Postgres");
        await using var first = await TestHost.StartAsync(storage, sink.Port);
        await using var second = await TestHost.StartAsync(storage, sink.Port);
        var readers = Enumerable.Range(0, 8)
            .Select(i => new Subscriber(i % 2 == 0 ? first : second, sink, $"shared-{i}@example.org"))
            .ToList();

        await Task.WhenAll(readers.Select(r => r.JoinAsync()));
        await Task.WhenAll(readers.Select(r => r.WaitForLessonsAsync(Domain.Campaign.LessonCount)));
        await Task.WhenAll(readers.Select(r => r.WaitForFinishedNoteAsync()));
        await SevenDayCampaignTests.WaitUntilNothingIsLeftToSendAsync(first);

        foreach (var reader in readers)
        {
            Assert.Equal([1, 2, 3, 4, 5, 6, 7], reader.Lessons.Select(m => m.Day()));
            Assert.Single(reader.FinishedNotes);
        }
    }

    [Fact]
    public async Task A_confirmation_link_made_by_one_host_works_on_another()
    {
        await using var sink = await SmtpSink.StartAsync();
        var storage = await TestStorage.CreateAsync("Postgres");
        await using var first = await TestHost.StartAsync(storage, sink.Port);
        await using var second = await TestHost.StartAsync(storage, sink.Port);
        var reader = new Subscriber(first, sink, "crossing@example.org");
        await reader.SignUpAsync();
        var link = (await reader.WaitForConfirmationAsync()).Message.Link("/confirm/");

        using var response = await second.Http.PostAsync(link.Replace(first.BaseUrl, second.BaseUrl, StringComparison.Ordinal), null);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        await reader.WaitForLessonsAsync(1);
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_host_that_stops_mid_course_and_restarts_sends_the_rest_and_the_finished_note_exactly_once(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        var storage = await TestStorage.CreateAsync(provider);
        var host = await TestHost.StartAsync(storage, sink.Port, "--Campaign:DayLength=00:00:02");
        var reader = new Subscriber(host, sink, $"restart-{provider}@example.org");
        await reader.JoinAsync();
        await reader.WaitForLessonsAsync(3);
        await host.DisposeAsync();

        await using var restarted = await TestHost.StartAsync(storage, sink.Port, "--Campaign:DayLength=00:00:02", "--Delivery:ClaimLease=00:00:02");
        await reader.WaitForLessonsAsync(Domain.Campaign.LessonCount, TimeSpan.FromSeconds(60));
        await reader.WaitForFinishedNoteAsync();
        await SevenDayCampaignTests.WaitUntilNothingIsLeftToSendAsync(restarted);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], reader.Lessons.Select(m => m.Day()));
        Assert.Single(reader.FinishedNotes);
    }

    [Fact]
    public async Task A_mail_server_that_answers_451_three_times_then_recovers_gets_every_lesson_once()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Postgres"), sink.Port);
        var reader = new Subscriber(host, sink, "greylisted@example.org");
        await reader.SignUpAsync();
        await reader.WaitForConfirmationAsync();
        sink.FailNext(reader.Email, times: 3);

        var confirmation = reader.AllMail.Confirmations().Single();
        using var response = await host.Http.PostAsync(confirmation.Message.Link("/confirm/"), null);
        await reader.WaitForLessonsAsync(Domain.Campaign.LessonCount);
        await SevenDayCampaignTests.WaitUntilNothingIsLeftToSendAsync(host);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], reader.Lessons.Select(m => m.Day()));
        var firstLesson = await host.QueryAsync(db => db.Lessons.SingleAsync(l => l.Day == 1));
        Assert.Equal(4, firstLesson.Attempts);
        Assert.Equal(LessonState.Sent, firstLesson.State);
    }

    [Fact]
    public async Task A_550_for_one_reader_bounces_only_that_reader_and_suppresses_the_address()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Postgres"), sink.Port);
        var good = new Subscriber(host, sink, "good@example.org");
        var gone = new Subscriber(host, sink, "gone@example.org");
        await gone.SignUpAsync();
        var confirmation = await gone.WaitForConfirmationAsync();
        sink.RejectRecipient(gone.Email, 550, "5.1.1", "No such user");

        using (var response = await host.Http.PostAsync(confirmation.Message.Link("/confirm/"), null))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
        await good.JoinAsync();
        await good.WaitForLessonsAsync(Domain.Campaign.LessonCount);
        await SevenDayCampaignTests.WaitUntilNothingIsLeftToSendAsync(host);

        Assert.Empty(gone.Lessons);
        var status = await host.QueryAsync(db => db.Enrollments.Where(e => e.EmailKey == gone.Email).Select(e => e.Status).SingleAsync());
        Assert.Equal(EnrollmentStatus.Bounced, status);
        Assert.Equal(1, await host.QueryAsync(db => db.Suppressions.CountAsync()));

        // Suppressed for good: signing up again sends nothing, and still answers 202.
        sink.Reset();
        await gone.SignUpAsync();
        // A sign-up made after it, by someone else, is the barrier: once that mail is here, gone's would be too.
        var later = new Subscriber(host, sink, "later@example.org");
        await later.SignUpAsync();
        await later.WaitForConfirmationAsync();
        Assert.Empty(gone.AllMail);
    }
}
