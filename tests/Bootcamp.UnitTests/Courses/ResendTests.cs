using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.Security;
using Bootcamp.UnitTests.Delivery;

namespace Bootcamp.UnitTests.Courses;

/// <summary>An admin's "send Day N again", on both providers: what may be resent, once at a time, and what it leaves on the lesson.</summary>
public sealed class ResendTests
{
    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_sent_or_failed_lesson_is_resent_one_at_a_time_and_keeps_its_state_sent_time_and_events(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        // Days 1 and 3 sent, 2 failed for good, 4 claimed by the dispatcher, 5-7 waiting.
        var enrollment = await rig.SeedAsync(new EnrollmentBuilder().Claimed(4).Failed(2));
        var day3Before = enrollment.Lessons.Single(l => l.Day == 3);

        var first = await ClaimAsync(rig, enrollment.Id, 3);
        var meanwhile = await ClaimAsync(rig, enrollment.Id, 3);
        await rig.RecordAsync(async r => { await r.RecordResentAsync(first.Lesson!.LessonId, "m3@example.org", ["https://example.org/a"], "250 2.0.0 Ok: queued as R1", CancellationToken.None); return 0; });
        var afterFirst = (await rig.EnrollmentAsync(enrollment.Id)).Lessons[2];
        var second = await ClaimAsync(rig, enrollment.Id, 3);
        await rig.RecordAsync(async r => { await r.ReleaseResendAsync(second.Lesson!.LessonId, CancellationToken.None); return 0; });
        var afterRelease = (await rig.EnrollmentAsync(enrollment.Id)).Lessons[2];
        var failedDay = await ClaimAsync(rig, enrollment.Id, 2);
        var claimedDay = await ClaimAsync(rig, enrollment.Id, 4);
        var waitingDay = await ClaimAsync(rig, enrollment.Id, 6);

        Assert.Equal(Change.Done, first.Change);
        Assert.Equal((3, 1, enrollment.Id), (first.Lesson!.Day, first.Resend, first.Lesson.EnrollmentId));
        Assert.Equal(Change.NotAllowed, meanwhile.Change);
        Assert.Equal("Day 3 is being sent again right now", meanwhile.Refusal);
        Assert.Equal((LessonState.Sent, day3Before.SentAt, 1, rig.Now), (afterFirst.State, afterFirst.SentAt, afterFirst.Resends, afterFirst.ResentAt));
        Assert.Null(afterFirst.ResendClaimedAt);
        Assert.Equal(("m3@example.org", "https://example.org/a", "250 2.0.0 Ok: queued as R1"), (afterFirst.MessageId, afterFirst.Links, afterFirst.SmtpReply));
        Assert.Equal((Change.Done, 2), (second.Change, second.Resend));
        Assert.Equal((1, (DateTime?)null), (afterRelease.Resends, afterRelease.ResendClaimedAt));
        Assert.Equal(Change.Done, failedDay.Change);
        Assert.Equal(LessonState.Failed, (await rig.EnrollmentAsync(enrollment.Id)).Lessons[1].State);
        Assert.Equal((Change.NotAllowed, "Day 4 is claimed, not sent or failed: it goes out by itself"), (claimedDay.Change, claimedDay.Refusal));
        Assert.Equal(Change.NotAllowed, waitingDay.Change);
        // A resend is not a send: no lesson.sent, nothing for webhooks or counters.
        Assert.Empty(await rig.EventsAsync(enrollment.Id));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_resend_whose_sender_vanished_is_taken_over_after_the_lease(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var enrollment = await rig.SeedAsync(new EnrollmentBuilder().Claimed(3));

        var lost = await ClaimAsync(rig, enrollment.Id, 1);
        rig.Time.Advance(Lease - TimeSpan.FromSeconds(1));
        var tooSoon = await ClaimAsync(rig, enrollment.Id, 1);
        rig.Time.Advance(TimeSpan.FromSeconds(2));
        var takenOver = await ClaimAsync(rig, enrollment.Id, 1);

        Assert.Equal(Change.Done, lost.Change);
        Assert.Equal(Change.NotAllowed, tooSoon.Change);
        Assert.Equal((Change.Done, 1), (takenOver.Change, takenOver.Resend));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_resend_is_refused_while_paused_after_a_stop_at_a_suppressed_address_and_allowed_after_the_finish(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var paused = await rig.SeedAsync(new EnrollmentBuilder().For("paused@example.org").WithStatus(EnrollmentStatus.Paused).Claimed(3));
        var left = await rig.SeedAsync(new EnrollmentBuilder().For("left@example.org").WithStatus(EnrollmentStatus.Unsubscribed).Claimed(3));
        var bounced = await rig.SeedAsync(new EnrollmentBuilder().For("bounced@example.org").WithStatus(EnrollmentStatus.Bounced).Claimed(3));
        var complained = await rig.SeedAsync(new EnrollmentBuilder().For("complained@example.org").Claimed(3));
        var finished = await rig.SeedAsync(new EnrollmentBuilder().For("done@example.org").Finished(TimeSpan.FromDays(1)));
        var pending = await rig.SeedPendingAsync("pending@example.org");
        await using (var db = rig.Db())
        {
            await new SuppressionList(db, new AddressHasher(rig.Secrets), rig.Time).SuppressAsync("Complained@Example.org", "complaint", CancellationToken.None);
        }

        Assert.Equal((Change.NotAllowed, "the course is paused: only a course going on or finished gets a lesson again"), Refusal(await ClaimAsync(rig, paused.Id, 1)));
        Assert.Equal(Change.NotAllowed, (await ClaimAsync(rig, left.Id, 1)).Change);
        Assert.Equal(Change.NotAllowed, (await ClaimAsync(rig, bounced.Id, 1)).Change);
        Assert.Equal((Change.NotAllowed, "the address is forgotten or suppressed: nothing may be sent to it"), Refusal(await ClaimAsync(rig, complained.Id, 1)));
        Assert.Equal((Change.NotAllowed, "the course is pending: no lessons yet"), Refusal(await ClaimAsync(rig, pending, 1)));
        Assert.Equal(Change.NotFound, (await ClaimAsync(rig, 999_999, 1)).Change);
        Assert.Equal(Change.Done, (await ClaimAsync(rig, finished.Id, 7)).Change);
        Assert.All((await rig.EnrollmentAsync(paused.Id)).Lessons, l => Assert.Null(l.ResendClaimedAt));
    }

    private static (Change, string?) Refusal(ResendClaim claim) => (claim.Change, claim.Refusal);

    private static Task<ResendClaim> ClaimAsync(RecordRig rig, long enrollmentId, int day) =>
        rig.RecordAsync(r => r.ClaimResendAsync(enrollmentId, day, Lease, CancellationToken.None));
}
