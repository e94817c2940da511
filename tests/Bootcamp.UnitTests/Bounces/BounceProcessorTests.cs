using Bootcamp.Bounces;
using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Operations;
using Bootcamp.Persistence;
using Bootcamp.UnitTests.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bootcamp.UnitTests.Bounces;

/// <summary>Reports applied to the record (SQLite in memory, as the batch job's tests use), each one twice where it matters.</summary>
public sealed class BounceProcessorTests : IAsyncLifetime
{
    private DeliveryRig _rig = null!;
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private ReturnPathCodec _codec = null!;

    public async Task InitializeAsync()
    {
        _rig = await DeliveryRig.StartAsync();
        _codec = new ReturnPathCodec("bounces+{id}@example.org", _rig.Secrets.AddressHashKey);
    }

    public async Task DisposeAsync()
    {
        await _rig.DisposeAsync();
        await _meters.DisposeAsync();
    }

    [Fact]
    public async Task A_hard_bounce_fails_the_lesson_stops_the_course_and_suppresses_the_address()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 3);

        var outcome = await ApplyAsync(DsnSamples.Postfix, enrollment, day: 2);

        Assert.Equal(BounceOutcome.Applied, outcome);
        var record = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Bounced, record.Status);
        Assert.NotNull(record.BouncedAt);
        Assert.Equal(LessonState.Failed, record.Lessons[1].State);
        Assert.StartsWith("DSN 5.1.1: 550 5.1.1", record.Lessons[1].LastError);
        Assert.Equal(LessonState.Sent, record.Lessons[0].State);
        Assert.All(record.Lessons.Skip(3), l => Assert.Equal(LessonState.Skipped, l.State));
        var suppression = Assert.Single(await _rig.SuppressionsAsync());
        Assert.Equal((_rig.Hasher().Hash("ann@example.org"), "hard-bounce"), (suppression.AddressHash, suppression.Reason));
    }

    [Fact]
    public async Task A_hard_bounce_for_a_paused_reader_stops_the_course_so_nothing_goes_out_when_the_pause_ends()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 2);
        await using (var db = _rig.Db())
        {
            Assert.Equal(Bootcamp.Courses.Change.Done, await _rig.Record(db).PauseAsync(enrollment.Id, 2, CancellationToken.None));
        }

        await ApplyAsync(DsnSamples.Postfix, enrollment, day: 2);
        _rig.Time.Advance(TimeSpan.FromDays(3));
        await using (var db = _rig.Db())
        {
            await _rig.Record(db).ResumeEndedPausesAsync(CancellationToken.None);
        }

        var record = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Bounced, record.Status);
        Assert.All(record.Lessons.Skip(2), l => Assert.Equal(LessonState.Skipped, l.State));
    }

    [Fact]
    public async Task The_same_hard_bounce_read_twice_changes_nothing_more()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 3);
        await ApplyAsync(DsnSamples.Postfix, enrollment, day: 2);
        var first = await _rig.EnrollmentAsync(enrollment.Id);
        _rig.Time.Advance(TimeSpan.FromHours(1));

        var outcome = await ApplyAsync(DsnSamples.Postfix, enrollment, day: 2);

        Assert.Equal(BounceOutcome.Applied, outcome);
        var second = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(first.BouncedAt, second.BouncedAt);
        Assert.Equal(first.Lessons.Select(l => (l.State, l.LastError)), second.Lessons.Select(l => (l.State, l.LastError)));
        Assert.Single(await _rig.SuppressionsAsync());
    }

    [Fact]
    public async Task A_report_without_a_return_path_finds_its_lesson_by_message_id()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 2);
        var message = DsnSamples.Load(DsnSamples.Office365, "bootcamp@example.org", MessageIdOf(enrollment.Id, 1), "ann@example.org");

        var outcome = await ApplyAsync(DsnParser.Parse(message, _codec));

        Assert.Equal(BounceOutcome.Applied, outcome);
        Assert.Equal(EnrollmentStatus.Bounced, (await _rig.EnrollmentAsync(enrollment.Id)).Status);
    }

    [Fact]
    public async Task A_complaint_stops_the_course_and_suppresses_without_failing_the_delivered_lesson()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 2);

        await ApplyAsync(DsnSamples.Complaint, enrollment, day: 1);
        await ApplyAsync(DsnSamples.Complaint, enrollment, day: 1);

        var record = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Bounced, record.Status);
        Assert.Equal(LessonState.Sent, record.Lessons[0].State);
        Assert.Equal("complaint", Assert.Single(await _rig.SuppressionsAsync()).Reason);
    }

    [Fact]
    public async Task A_complaint_after_an_unsubscribe_suppresses_but_keeps_the_unsubscribe()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 2);
        await _rig.SetStatusAsync(enrollment.Id, EnrollmentStatus.Unsubscribed);

        await ApplyAsync(DsnSamples.Complaint, enrollment, day: 1);

        Assert.Equal(EnrollmentStatus.Unsubscribed, (await _rig.EnrollmentAsync(enrollment.Id)).Status);
        Assert.Equal("complaint", Assert.Single(await _rig.SuppressionsAsync()).Reason);
    }

    [Fact]
    public async Task A_delayed_notice_changes_nothing()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 2);

        var outcome = await ApplyAsync(DsnSamples.Delayed, enrollment, day: 1);

        Assert.Equal(BounceOutcome.Applied, outcome);
        var record = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal((EnrollmentStatus.Active, 0), (record.Status, record.SoftBounces));
        Assert.Equal(LessonState.Sent, record.Lessons[0].State);
        Assert.Null(record.Lessons[0].LastError);
        Assert.Empty(await _rig.SuppressionsAsync());
    }

    [Fact]
    public async Task A_soft_bounce_counts_once_per_lesson_and_three_in_a_row_count_as_hard()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 4);

        await ApplyAsync(DsnSamples.GaveUpOnFullMailbox, enrollment, day: 1);
        await ApplyAsync(DsnSamples.GaveUpOnFullMailbox, enrollment, day: 1);
        await ApplyAsync(DsnSamples.GaveUpOnFullMailbox, enrollment, day: 2);
        var afterTwo = await _rig.EnrollmentAsync(enrollment.Id);
        var suppressedAfterTwo = await _rig.SuppressionsAsync();
        await ApplyAsync(DsnSamples.GaveUpOnFullMailbox, enrollment, day: 3);

        Assert.Equal((EnrollmentStatus.Active, 2), (afterTwo.Status, afterTwo.SoftBounces));
        Assert.Empty(suppressedAfterTwo);
        var record = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Bounced, record.Status);
        Assert.All(record.Lessons.Take(3), l => Assert.Equal(LessonState.Failed, l.State));
        Assert.Equal("soft-bounces", Assert.Single(await _rig.SuppressionsAsync()).Reason);
    }

    [Fact]
    public async Task Three_lessons_failed_on_consecutive_days_count_as_hard_even_after_the_counter_was_reset()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 4);
        await ApplyAsync(DsnSamples.GaveUpOnFullMailbox, enrollment, day: 1);
        await ApplyAsync(DsnSamples.GaveUpOnFullMailbox, enrollment, day: 2);
        // A later lesson accepted by the relay resets the shared counter before this report arrives.
        await using (var db = _rig.Db())
        {
            await new LessonStore(db, TestOwner.Instance).ResetSoftBouncesAsync(enrollment.Id, CancellationToken.None);
        }

        await ApplyAsync(DsnSamples.GaveUpOnFullMailbox, enrollment, day: 3);

        Assert.Equal(EnrollmentStatus.Bounced, (await _rig.EnrollmentAsync(enrollment.Id)).Status);
    }

    [Fact]
    public async Task A_policy_refusal_fails_the_lesson_but_keeps_the_reader()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 2);

        await ApplyAsync(DsnSamples.Policy, enrollment, day: 1);

        var record = await _rig.EnrollmentAsync(enrollment.Id);
        Assert.Equal(EnrollmentStatus.Active, record.Status);
        Assert.Equal(LessonState.Failed, record.Lessons[0].State);
        Assert.StartsWith("DSN 5.7.1", record.Lessons[0].LastError);
        Assert.Empty(await _rig.SuppressionsAsync());
    }

    [Fact]
    public async Task A_report_naming_no_lesson_of_ours_is_unmatched_and_changes_nothing()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 2);
        var message = DsnSamples.Load(DsnSamples.Postfix, "bounces@example.org", "unknown@example.org", "ann@example.org");

        var outcome = await ApplyAsync(DsnParser.Parse(message, _codec));

        Assert.Equal(BounceOutcome.Unmatched, outcome);
        Assert.Equal(EnrollmentStatus.Active, (await _rig.EnrollmentAsync(enrollment.Id)).Status);
        Assert.Empty(await _rig.SuppressionsAsync());
    }

    [Fact]
    public async Task A_forged_return_path_bounces_nobody()
    {
        var victim = await SentThroughAsync("victim@example.org", day: 2);
        var genuine = _codec.AddressFor(LessonIdOf(victim, 1));
        var check = genuine.IndexOf('-', StringComparison.Ordinal) + 1;
        var forged = genuine[..check] + (genuine[check] == '0' ? '1' : '0') + genuine[(check + 1)..];
        var message = DsnSamples.Load(DsnSamples.Postfix, forged, "unknown@example.org", "victim@example.org");

        var outcome = await ApplyAsync(DsnParser.Parse(message, _codec));

        Assert.Equal(BounceOutcome.Unmatched, outcome);
        Assert.Equal(EnrollmentStatus.Active, (await _rig.EnrollmentAsync(victim.Id)).Status);
    }

    [Fact]
    public async Task A_message_that_is_not_a_report_is_left_alone()
    {
        var enrollment = await SentThroughAsync("ann@example.org", day: 2);

        var outcome = await ApplyAsync(DsnSamples.AutoReply, enrollment, day: 1);

        Assert.Equal(BounceOutcome.NotAReport, outcome);
        Assert.Equal(EnrollmentStatus.Active, (await _rig.EnrollmentAsync(enrollment.Id)).Status);
    }

    /// <summary>Lessons before <paramref name="day"/> sent, each with the Message-ID the sender would have stored.</summary>
    private async Task<EnrollmentRecord> SentThroughAsync(string email, int day)
    {
        var enrollment = await _rig.SeedAsync(new EnrollmentBuilder().For(email).Claimed(day));
        await using var db = _rig.Db();
        foreach (var lesson in enrollment.Lessons.Where(l => l.State == LessonState.Sent))
        {
            var messageId = MessageIdOf(enrollment.Id, lesson.Day);
            await db.Lessons.Where(l => l.Id == lesson.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.MessageId, messageId));
        }
        return enrollment;
    }

    private string MessageIdOf(long enrollmentId, int day) => _rig.Messages().LessonMessageId(enrollmentId, day, discreet: false);

    private static long LessonIdOf(EnrollmentRecord enrollment, int day) => enrollment.Lessons.Single(l => l.Day == day).Id;

    private Task<BounceOutcome> ApplyAsync(string sample, EnrollmentRecord enrollment, int day)
    {
        var message = DsnSamples.Load(sample, _codec.AddressFor(LessonIdOf(enrollment, day)), MessageIdOf(enrollment.Id, day), enrollment.Email);
        return ApplyAsync(DsnParser.Parse(message, _codec));
    }

    private async Task<BounceOutcome> ApplyAsync(BounceReport report)
    {
        await using var db = _rig.Db();
        var processor = new BounceProcessor(
            db,
            new LessonStore(db, TestOwner.Instance),
            _rig.Record(db),
            new SuppressionList(db, _rig.Hasher(), _rig.Time),
            new BootcampMetrics(_meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            NullLogger<BounceProcessor>.Instance);
        return await processor.ApplyAsync(report, CancellationToken.None);
    }
}
