using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Persistence;
using Hangfire.Common;
using Hangfire.States;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using NSubstitute;

namespace Bootcamp.UnitTests.Delivery;

/// <summary>The "you finished" note on its way: claimed when due, taken just before SMTP, sent once, never after the reader left.</summary>
public sealed class FinishedNoteJobTests : IAsyncLifetime
{
    private DeliveryRig _rig = null!;

    public async Task InitializeAsync() => _rig = await DeliveryRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task A_due_note_is_sent_once_with_its_keyed_message_id_and_no_lesson_headers()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Finished(noteDueIn: TimeSpan.Zero));

        await _rig.RunNoteBatchAsync(await _rig.ClaimDueNotesAsync());

        var message = Assert.Single(_rig.Accepted);
        Assert.Equal("ann@example.org", message.To.Mailboxes.Single().Address);
        Assert.Equal(_rig.Messages().FinishedNoteMessageId(enrollment.Id, discreet: false), message.MessageId);
        Assert.NotEqual(_rig.Messages().LessonMessageId(enrollment.Id, Campaign.LessonCount, discreet: false), message.MessageId);
        Assert.Equal(DeliveryRig.Start, message.Date);
        Assert.Equal(("Surviving Infidelity Bootcamp", "bootcamp@localhost"), (message.From.Mailboxes.Single().Name, message.From.Mailboxes.Single().Address));
        Assert.Equal("Surviving Infidelity Bootcamp <bootcamp.localhost>", message.Headers[HeaderId.ListId]);
        Assert.False(message.Headers.Contains("List-Unsubscribe"));
        Assert.False(message.Headers.Contains("List-Unsubscribe-Post"));
        Assert.Equal(["text/plain", "text/html"], Assert.IsType<MultipartAlternative>(message.Body).Select(p => p.ContentType.MimeType));
        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal((LessonState.Sent, _rig.Now, 1), (after.FinishedNoteState, after.FinishedNoteSentAt, after.FinishedNoteAttempts));
    }

    [Fact]
    public async Task The_note_is_not_a_lesson_the_course_stays_finished_and_the_stats_do_not_move()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Finished(noteDueIn: TimeSpan.Zero));
        var before = await StatsAsync();

        await _rig.RunNoteBatchAsync(await _rig.ClaimDueNotesAsync());

        Assert.Single(_rig.Accepted);
        Assert.Equal(before, await StatsAsync());
        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Finished, after.Status);
        Assert.Equal(Campaign.LessonCount, after.Lessons.Count);
    }

    [Fact]
    public async Task A_discreet_reader_gets_the_note_from_the_discreet_sender_with_the_neutral_list_id()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Discreet().Finished(noteDueIn: TimeSpan.Zero));

        await _rig.RunNoteBatchAsync(await _rig.ClaimDueNotesAsync());

        var message = Assert.Single(_rig.Accepted);
        Assert.Equal("notes@localhost", message.From.Mailboxes.Single().Address);
        Assert.Equal("Daily notes <notes.localhost>", message.Headers[HeaderId.ListId]);
        Assert.Equal(_rig.Messages().FinishedNoteMessageId(enrollment.Id, discreet: true), message.MessageId);
    }

    [Fact]
    public async Task A_note_is_not_claimed_before_it_is_due()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Finished(noteDueIn: TimeSpan.FromHours(22)));

        Assert.Empty(await _rig.ClaimDueNotesAsync());
        _rig.Time.Advance(TimeSpan.FromHours(22) - TimeSpan.FromSeconds(1));
        Assert.Empty(await _rig.ClaimDueNotesAsync());
        _rig.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([enrollment.Id], await _rig.ClaimDueNotesAsync());
    }

    [Fact]
    public async Task The_same_batch_run_twice_and_side_by_side_sends_the_note_once()
    {
        await _rig.SeedAsync(new EnrollmentBuilder().Finished(noteDueIn: TimeSpan.Zero));
        var claimed = await _rig.ClaimDueNotesAsync();

        await Task.WhenAll(_rig.RunNoteBatchAsync(claimed), _rig.RunNoteBatchAsync(claimed));
        await _rig.RunNoteBatchAsync(claimed);

        Assert.Single(_rig.Attempted);
        Assert.Empty(await _rig.ClaimDueNotesAsync());
    }

    [Fact]
    public async Task A_note_whose_job_was_lost_is_dispatched_again_within_a_minute_not_the_lease_and_sent_once()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Finished(noteDueIn: TimeSpan.Zero));
        Assert.Equal([enrollment.Id], await _rig.ClaimDueNotesAsync());   // ... and its job never runs

        // Claimed but never taken by a sender: dispatched again once it has waited Claims.UntakenAfter, whoever holds it.
        _rig.Time.Advance(Bootcamp.Courses.Claims.UntakenAfter - TimeSpan.FromSeconds(1));
        Assert.Empty(await _rig.ClaimDueNotesAsync());
        _rig.Time.Advance(TimeSpan.FromSeconds(2));
        await _rig.RunNoteBatchAsync(await _rig.ClaimDueNotesAsync());

        Assert.Single(_rig.Accepted);
        Assert.Equal(LessonState.Sent, (await _rig.EnrollmentAsync(enrollment.Id)).FinishedNoteState);
    }

    [Fact]
    public async Task A_note_lost_in_the_middle_of_its_send_goes_again_after_the_lease_with_the_same_message_id()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Finished(noteDueIn: TimeSpan.Zero));
        // The sender took it and died before recording anything.
        var claimed = await _rig.ClaimDueNotesAsync();
        await using (var db = _rig.Db())
        {
            Assert.True(await new FinishedNoteStore(db, TestOwner.Instance).TryTakeAsync(enrollment.Id, _rig.Hasher().Hashes("ann@example.org"), _rig.Now, CancellationToken.None));
        }
        await _rig.RunNoteBatchAsync(claimed);
        Assert.Empty(_rig.Attempted);

        _rig.Time.Advance(_rig.Delivery.ClaimLease + TimeSpan.FromSeconds(1));
        await _rig.RunNoteBatchAsync(await _rig.ClaimDueNotesAsync());

        Assert.Equal(_rig.Messages().FinishedNoteMessageId(enrollment.Id, discreet: false), Assert.Single(_rig.Accepted).MessageId);
    }

    [Fact]
    public async Task A_reader_who_unsubscribes_after_lesson_seven_gets_no_note()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Finished(noteDueIn: TimeSpan.FromHours(20)));

        await _rig.UnsubscribeAsync(enrollment.Id);
        Assert.Equal(LessonState.Skipped, (await _rig.EnrollmentAsync(enrollment.Id)).FinishedNoteState);
        _rig.Time.Advance(TimeSpan.FromDays(1));
        await _rig.RunNoteBatchAsync(await _rig.ClaimDueNotesAsync());

        Assert.Empty(_rig.Attempted);
        var after = await _rig.EnrollmentAsync(enrollment.Id);
        // The course stays finished (the stats keep meaning); only the withdrawal is recorded.
        Assert.Equal((EnrollmentStatus.Finished, LessonState.Skipped), (after.Status, after.FinishedNoteState));
        Assert.NotNull(after.UnsubscribedAt);
    }

    public static TheoryData<string> WhatStopsAClaimedNote() =>
        ["unsubscribed", "bounced", "lesson 7 bounced later", "signed up again", "suppressed", "erased"];

    [Theory]
    [MemberData(nameof(WhatStopsAClaimedNote))]
    public async Task A_claimed_note_is_not_sent_when_the_record_changed_after_the_claim(string change)
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Finished(noteDueIn: TimeSpan.Zero));
        var claimed = await _rig.ClaimDueNotesAsync();
        await using (var db = _rig.Db())
        {
            var record = db.Enrollments.Where(e => e.Id == enrollment.Id);
            _ = change switch
            {
                "unsubscribed" => await record.ExecuteUpdateAsync(s => s.SetProperty(e => e.UnsubscribedAt, _rig.Now)),
                "bounced" => await record.ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EnrollmentStatus.Bounced)),
                // A DSN read from the bounce mailbox turned the delivered lesson 7 into a failed one.
                "lesson 7 bounced later" => await db.Lessons.Where(l => l.EnrollmentId == enrollment.Id && l.Day == 7)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Failed)),
                "signed up again" => await SeedNewSignUpAsync(),
                "suppressed" => await SuppressAsync(db),
                "erased" => await record.ExecuteDeleteAsync(),
                _ => throw new ArgumentOutOfRangeException(nameof(change)),
            };
        }

        await _rig.RunNoteBatchAsync(claimed);

        Assert.Empty(_rig.Attempted);
        await _rig.Transport.DidNotReceive().OpenSessionAsync(Arg.Any<CancellationToken>());
        if (change != "erased")
        {
            Assert.Equal(LessonState.Skipped, (await _rig.EnrollmentAsync(enrollment.Id)).FinishedNoteState);
        }
    }

    [Fact]
    public async Task A_transient_failure_retries_the_note_after_the_first_delay_with_the_same_message_id()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Finished(noteDueIn: TimeSpan.Zero));
        _rig.Reject("ann@example.org", 451, "4.7.1 Greylisted, try again later");
        await _rig.RunNoteBatchAsync(await _rig.ClaimDueNotesAsync());

        var deferred = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal((LessonState.Scheduled, _rig.Now + TimeSpan.FromSeconds(30), 1), (deferred.FinishedNoteState, deferred.FinishedNoteDueAt, deferred.FinishedNoteAttempts));
        _rig.StopRejecting();
        _rig.Time.Advance(TimeSpan.FromSeconds(30));
        await _rig.RunNoteBatchAsync(await _rig.ClaimDueNotesAsync());

        Assert.Equal(2, _rig.Attempted.Count);
        Assert.Equal(_rig.Attempted[0].MessageId, _rig.Attempted[1].MessageId);
        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal((LessonState.Sent, 2, null), (after.FinishedNoteState, after.FinishedNoteAttempts, after.FinishedNoteError));
    }

    [Fact]
    public async Task After_the_last_retry_the_note_fails_and_the_course_stays_finished()
    {
        _rig.Delivery.RetryDelays = "00:00:30";
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Finished(noteDueIn: TimeSpan.Zero));
        _rig.Reject("ann@example.org", 451, "4.3.0 Try again later");

        await _rig.RunNoteBatchAsync(await _rig.ClaimDueNotesAsync());
        _rig.Time.Advance(TimeSpan.FromSeconds(30));
        await _rig.RunNoteBatchAsync(await _rig.ClaimDueNotesAsync());

        Assert.Equal(2, _rig.Attempted.Count);
        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal((EnrollmentStatus.Finished, LessonState.Failed, 0), (after.Status, after.FinishedNoteState, after.SoftBounces));
        Assert.Empty(await _rig.ClaimDueNotesAsync());
    }

    [Fact]
    public async Task A_hard_bounce_suppresses_the_address_but_leaves_the_course_finished()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().For("gone@example.org").Finished(noteDueIn: TimeSpan.Zero));
        _rig.Reject("gone@example.org", 550, "5.1.1 User unknown");

        await _rig.RunNoteBatchAsync(await _rig.ClaimDueNotesAsync());

        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal((EnrollmentStatus.Finished, LessonState.Failed, null), (after.Status, after.FinishedNoteState, after.BouncedAt));
        Assert.Equal(_rig.Hasher().Hash("gone@example.org"), Assert.Single(await _rig.SuppressionsAsync()).AddressHash);
    }

    [Fact]
    public async Task The_dispatcher_hands_due_notes_to_their_own_job_apart_from_lessons()
    {
        var lessonReader = await _rig.SeedAsync(new EnrollmentBuilder().For("ann@example.org").Claimed(day: 2));
        await using (var db = _rig.Db())
        {
            // Lesson 2 of the first reader falls due now, beside the second reader's note.
            await db.Lessons.Where(l => l.EnrollmentId == lessonReader.Id && l.Day == 2)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LessonState.Scheduled).SetProperty(l => l.DueAt, _rig.Now));
        }
        var finished = await _rig.SeedAsync(new EnrollmentBuilder().For("bob@example.org").Finished(noteDueIn: TimeSpan.Zero));
        var jobs = Substitute.For<IBackgroundJobClient>();

        Assert.Equal(2, await _rig.DispatchAsync(jobs));

        jobs.Received(1).Create(Arg.Is<Job>(j => j.Type == typeof(LessonBatchJob)), Arg.Any<IState>());
        jobs.Received(1).Create(Arg.Is<Job>(j => j.Type == typeof(FinishedNoteJob) && ((long[])j.Args[0]).SequenceEqual(new[] { finished.Id })), Arg.Any<IState>());
    }

    [Fact]
    public async Task With_Campaign_FinishedNote_turned_off_a_note_planned_before_is_dropped_not_sent()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Finished(noteDueIn: TimeSpan.Zero));
        _rig.Campaign.FinishedNote = false;
        var jobs = Substitute.For<IBackgroundJobClient>();

        Assert.Equal(0, await _rig.DispatchAsync(jobs));

        jobs.DidNotReceiveWithAnyArgs().Create(default!, default!);
        Assert.Equal(LessonState.Skipped, (await _rig.EnrollmentAsync(enrollment.Id)).FinishedNoteState);
    }

    private async Task<int> SeedNewSignUpAsync()
    {
        var again = new EnrollmentBuilder().WithStatus(EnrollmentStatus.Pending).Build(_rig.Now);
        again.Lessons.Clear();
        await using var db = _rig.Db();
        db.Enrollments.Add(again);
        return await db.SaveChangesAsync();
    }

    private async Task<int> SuppressAsync(BootcampDb db)
    {
        await new SuppressionList(db, _rig.Hasher(), _rig.Time).SuppressAsync("Ann@Example.org", "complaint", CancellationToken.None);
        return 1;
    }

    private async Task<(string, long)[]> StatsAsync()
    {
        await using var db = _rig.Db();
        var enrollments = await db.EnrollmentStats.Select(s => new { s.Name, s.Count }).ToListAsync();
        var lessons = await db.OverviewCounts.Where(o => o.Day > 0).GroupBy(o => o.Day).Select(g => new { Day = g.Key, Sent = g.Sum(o => o.Sent) }).ToListAsync();
        return
        [
            .. enrollments.Where(s => s.Count != 0).OrderBy(s => s.Name).Select(s => (s.Name, s.Count)),
            .. lessons.OrderBy(s => s.Day).Select(s => ($"day {s.Day} sent", s.Sent)),
        ];
    }
}
