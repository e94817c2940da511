using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Persistence;
using NSubstitute;

namespace Bootcamp.UnitTests.Delivery;

public sealed class LessonBatchJobTests : IAsyncLifetime
{
    private DeliveryRig _rig = null!;

    public async Task InitializeAsync() => _rig = await DeliveryRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task A_claimed_lesson_is_sent_to_the_subscriber_and_recorded_as_sent()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().For("ann@example.org").Claimed(day: 2));

        await _rig.RunBatchAsync(LessonId(enrollment, 2));

        var message = Assert.Single(_rig.Accepted);
        Assert.Equal("ann@example.org", message.To.Mailboxes.Single().Address);
        Assert.Equal("Day 2 of 7", message.Subject);
        var lesson = (await _rig.EnrollmentAsync(enrollment.Id)).Lessons[1];
        Assert.Equal(LessonState.Sent, lesson.State);
        Assert.Equal(_rig.Now, lesson.SentAt);
        Assert.Equal(message.MessageId, lesson.MessageId);
        Assert.Equal("https://988lifeline.org/", lesson.Links);
    }

    [Fact]
    public async Task Running_the_same_batch_twice_sends_each_lesson_once()
    {
        var ann = await _rig.SeedAsync(new EnrollmentBuilder().For("ann@example.org").Claimed(day: 1, count: 2));
        var bob = await _rig.SeedAsync(new EnrollmentBuilder().For("bob@example.org").Claimed(day: 3));
        long[] batch = [LessonId(ann, 1), LessonId(ann, 2), LessonId(bob, 3)];

        await _rig.RunBatchAsync(batch);
        await _rig.RunBatchAsync(batch);

        Assert.Equal(3, _rig.Accepted.Count);
        Assert.Equal(3, _rig.Accepted.Select(m => m.MessageId).Distinct().Count());
        Assert.All((await _rig.EnrollmentAsync(ann.Id)).Lessons.Take(2), l => Assert.Equal((LessonState.Sent, 1), (l.State, l.Attempts)));
    }

    [Fact]
    public async Task A_batch_with_nothing_left_to_send_does_not_open_a_connection()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 1));
        await _rig.RunBatchAsync(LessonId(enrollment, 1));
        _rig.Transport.ClearReceivedCalls();

        await _rig.RunBatchAsync(LessonId(enrollment, 1));

        await _rig.Transport.DidNotReceive().OpenSessionAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task The_connection_is_returned_after_the_batch()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 1, count: 3));

        await _rig.RunBatchAsync(LessonId(enrollment, 1), LessonId(enrollment, 2), LessonId(enrollment, 3));

        await _rig.Transport.Received(1).OpenSessionAsync(Arg.Any<CancellationToken>());
        await _rig.Session.Received(1).DisposeAsync();
    }

    [Fact]
    public async Task A_lesson_whose_enrollment_was_unsubscribed_after_the_claim_is_not_sent_and_ends_skipped()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 3));
        await _rig.SetStatusAsync(enrollment.Id, EnrollmentStatus.Unsubscribed);

        await _rig.RunBatchAsync(LessonId(enrollment, 3));

        Assert.Empty(_rig.Attempted);
        Assert.Equal(LessonState.Skipped, (await _rig.EnrollmentAsync(enrollment.Id)).Lessons[2].State);
    }

    [Fact]
    public async Task An_unsubscribe_during_a_batch_stops_the_lessons_of_the_chunks_not_yet_taken()
    {
        // More readers than a chunk holds: each chunk is taken, with a last look at the record, just before it is sent.
        var readers = new List<EnrollmentRecord>();
        for (var i = 0; i < LessonBatchJob.ChunkSize + 5; i++)
        {
            readers.Add(await _rig.SeedAsync(new EnrollmentBuilder().For($"reader{i}@example.org").Claimed(day: 2)));
        }
        // Everyone unsubscribes while the first lesson is on its way.
        var unsubscribed = false;
        _rig.Session.When(s => s.SendAsync(Arg.Any<OutgoingMessage>(), Arg.Any<CancellationToken>()))
            .Do(_ =>
            {
                if (!unsubscribed)
                {
                    unsubscribed = true;
                    foreach (var reader in readers)
                    {
                        _rig.SetStatusAsync(reader.Id, EnrollmentStatus.Unsubscribed).GetAwaiter().GetResult();
                    }
                }
            });

        await _rig.RunBatchAsync([.. readers.Select(r => LessonId(r, 2))]);

        // The chunk already taken goes out (the look came milliseconds before); nothing after it does.
        Assert.Equal(LessonBatchJob.ChunkSize, _rig.Accepted.Count);
        var states = new List<LessonState>();
        foreach (var reader in readers)
        {
            states.Add((await _rig.EnrollmentAsync(reader.Id)).Lessons[1].State);
        }
        Assert.Equal(LessonBatchJob.ChunkSize, states.Count(s => s == LessonState.Sent));
        Assert.Equal(5, states.Count(s => s == LessonState.Skipped));
    }

    [Fact]
    public async Task A_transient_failure_reschedules_the_lesson_after_the_first_retry_delay()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 2));
        _rig.Reject("ann@example.org", 451, "4.3.0 Temporary system problem");

        await _rig.RunBatchAsync(LessonId(enrollment, 2));

        var after = await _rig.EnrollmentAsync(enrollment.Id);
        var lesson = after.Lessons[1];
        Assert.Equal(LessonState.Scheduled, lesson.State);
        Assert.Equal(_rig.Now + TimeSpan.FromSeconds(30), lesson.DueAt);
        Assert.Equal(1, lesson.Attempts);
        Assert.Null(lesson.ClaimedAt);
        Assert.Contains("4.3.0 Temporary system problem", lesson.LastError, StringComparison.Ordinal);
        Assert.Equal(EnrollmentStatus.Active, after.Status);
        Assert.Empty(await _rig.SuppressionsAsync());
    }

    [Fact]
    public async Task A_rescheduled_lesson_is_not_claimed_again_before_its_retry_is_due()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 1));
        _rig.Reject("ann@example.org", 421, "Service not available");
        await _rig.RunBatchAsync(LessonId(enrollment, 1));

        _rig.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await _rig.ClaimDueAsync());

        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([LessonId(enrollment, 1)], await _rig.ClaimDueAsync());
    }

    [Fact]
    public async Task A_lesson_deferred_once_goes_out_on_its_retry_with_the_same_message_id()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 1));
        _rig.Reject("ann@example.org", 451, "4.7.1 Greylisted, try again later");
        await _rig.RunBatchAsync(LessonId(enrollment, 1));

        _rig.StopRejecting();
        _rig.Time.Advance(TimeSpan.FromSeconds(30));
        await _rig.RunBatchAsync(await _rig.ClaimDueAsync());

        Assert.Equal(2, _rig.Attempted.Count);
        Assert.Equal(_rig.Attempted[0].MessageId, _rig.Attempted[1].MessageId);
        var lesson = (await _rig.EnrollmentAsync(enrollment.Id)).Lessons[0];
        Assert.Equal((LessonState.Sent, 2, null), (lesson.State, lesson.Attempts, lesson.LastError));
    }

    [Fact]
    public async Task After_the_last_retry_delay_a_lesson_that_still_fails_is_failed()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 1));
        _rig.Reject("ann@example.org", 451, "4.3.0 Try again later");

        await _rig.RunBatchAsync(LessonId(enrollment, 1));
        _rig.Time.Advance(TimeSpan.FromSeconds(30));
        await _rig.RunBatchAsync(await _rig.ClaimDueAsync());
        var second = (await _rig.EnrollmentAsync(enrollment.Id)).Lessons[0];
        Assert.Equal((LessonState.Scheduled, 2, _rig.Now + TimeSpan.FromMinutes(5)), (second.State, second.Attempts, second.DueAt));

        _rig.Time.Advance(TimeSpan.FromMinutes(5));
        await _rig.RunBatchAsync(await _rig.ClaimDueAsync());

        Assert.Equal(3, _rig.Attempted.Count);
        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal((LessonState.Failed, 3), (after.Lessons[0].State, after.Lessons[0].Attempts));
        Assert.Empty(await _rig.ClaimDueAsync());
        // One lost lesson is not a lost reader: the course goes on.
        Assert.Equal(EnrollmentStatus.Active, after.Status);
        Assert.Equal(LessonState.Scheduled, after.Lessons[1].State);
    }

    [Fact]
    public async Task A_hard_bounce_bounces_the_enrollment_suppresses_the_address_and_skips_the_rest()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().For("gone@example.org").Claimed(day: 2, count: 2));
        _rig.Reject("gone@example.org", 550, "5.1.1 The email account that you tried to reach does not exist.");

        await _rig.RunBatchAsync(LessonId(enrollment, 2), LessonId(enrollment, 3));

        Assert.Single(_rig.Attempted);
        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Bounced, after.Status);
        Assert.Equal(_rig.Now, after.BouncedAt);
        Assert.Equal(LessonState.Failed, after.Lessons[1].State);
        Assert.All(after.Lessons.Skip(2), l => Assert.Equal(LessonState.Skipped, l.State));
        var suppression = Assert.Single(await _rig.SuppressionsAsync());
        Assert.Equal(_rig.Hasher().Hash("Gone@Example.org"), suppression.AddressHash);
        Assert.DoesNotContain("gone", suppression.AddressHash, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_hard_bounce_of_one_reader_does_not_stop_the_rest_of_the_batch()
    {
        var gone = await _rig.SeedAsync(new EnrollmentBuilder().For("gone@example.org").Claimed(day: 1));
        var ann = await _rig.SeedAsync(new EnrollmentBuilder().For("ann@example.org").Claimed(day: 1));
        _rig.Reject("gone@example.org", 550, "5.1.1 User unknown");

        await _rig.RunBatchAsync(LessonId(gone, 1), LessonId(ann, 1));

        Assert.Equal(["ann@example.org"], _rig.Accepted.Select(m => m.To.Mailboxes.Single().Address));
        Assert.Equal(EnrollmentStatus.Active, (await _rig.EnrollmentAsync(ann.Id)).Status);
    }

    [Theory]
    [InlineData(554, "5.7.1 Service unavailable, Client host [203.0.113.45] blocked using Spamhaus")]
    [InlineData(550, "5.7.26 Unauthenticated email is not accepted due to domain's DMARC policy")]
    [InlineData(552, "5.2.2 Mailbox full")]
    [InlineData(554, "Transaction failed")]
    public async Task A_permanent_refusal_that_is_not_a_bounce_fails_only_that_lesson_and_keeps_the_reader(int status, string reply)
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 2));
        _rig.Reject("ann@example.org", status, reply);

        await _rig.RunBatchAsync(LessonId(enrollment, 2));

        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Active, after.Status);
        Assert.Equal((LessonState.Failed, 1), (after.Lessons[1].State, after.Lessons[1].Attempts));
        Assert.Equal(reply, after.Lessons[1].LastError);
        Assert.All(after.Lessons.Skip(2), l => Assert.Equal(LessonState.Scheduled, l.State));
        Assert.Empty(await _rig.SuppressionsAsync());
    }

    [Fact]
    public async Task After_lesson_seven_is_sent_the_enrollment_is_finished()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 7));

        await _rig.RunBatchAsync(LessonId(enrollment, 7));

        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Finished, after.Status);
        Assert.Equal(_rig.Now, after.FinishedAt);
    }

    [Fact]
    public async Task Before_lesson_seven_the_enrollment_stays_active()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 6));

        await _rig.RunBatchAsync(LessonId(enrollment, 6));

        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Active, after.Status);
        Assert.Null(after.FinishedAt);
    }

    [Fact]
    public async Task A_last_lesson_refused_for_good_still_ends_the_course()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 7));
        _rig.Reject("ann@example.org", 552, "5.2.2 Mailbox full");

        await _rig.RunBatchAsync(LessonId(enrollment, 7));

        Assert.Equal(EnrollmentStatus.Finished, (await _rig.EnrollmentAsync(enrollment.Id)).Status);
    }

    [Fact]
    public async Task Three_lessons_in_a_row_lost_to_soft_failures_bounce_the_address()
    {
        _rig.Delivery.RetryDelays = string.Empty;
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 1, count: 3));
        _rig.Reject("ann@example.org", 452, "4.2.2 Mailbox full");

        await _rig.RunBatchAsync(LessonId(enrollment, 1), LessonId(enrollment, 2), LessonId(enrollment, 3));

        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Bounced, after.Status);
        Assert.All(after.Lessons.Skip(3), l => Assert.Equal(LessonState.Skipped, l.State));
        Assert.Single(await _rig.SuppressionsAsync());
    }

    [Fact]
    public async Task Soft_failures_separated_by_delivered_lessons_do_not_bounce_the_address()
    {
        // Lessons 1, 3 and 5 are lost to a full mailbox; 2 and 4 arrive. No three in a row.
        _rig.Delivery.RetryDelays = string.Empty;
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Claimed(day: 1));
        for (var day = 1; day <= 5; day++)
        {
            if (day % 2 == 1)
            {
                _rig.Reject("ann@example.org", 452, "4.2.2 Mailbox full");
            }
            else
            {
                _rig.StopRejecting();
            }
            _rig.Time.Advance(TimeSpan.FromDays(1));
            await _rig.RunBatchAsync(day == 1 ? [LessonId(enrollment, 1)] : await _rig.ClaimDueAsync());
        }

        var after = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(
            [LessonState.Failed, LessonState.Sent, LessonState.Failed, LessonState.Sent, LessonState.Failed, LessonState.Scheduled, LessonState.Scheduled],
            after.Lessons.Select(l => l.State));
        Assert.Equal(EnrollmentStatus.Active, after.Status);
        Assert.Empty(await _rig.SuppressionsAsync());
    }

    [Fact]
    public async Task A_discreet_reader_gets_the_lesson_from_the_discreet_sender()
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().Discreet().Claimed(day: 1));

        await _rig.RunBatchAsync(LessonId(enrollment, 1));

        var from = Assert.Single(Assert.Single(_rig.Accepted).From.Mailboxes);
        Assert.Equal("notes@localhost", from.Address);
    }

    private static long LessonId(Bootcamp.Persistence.EnrollmentRecord enrollment, int day) => enrollment.Lessons.Single(l => l.Day == day).Id;
}
