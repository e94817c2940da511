using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;

namespace Bootcamp.UnitTests.Courses;

/// <summary>The mail server's answer kept with each lesson by the mark-sent transition, on both providers.</summary>
public sealed class SmtpReplyRecordTests
{
    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_chunk_marked_sent_keeps_each_lessons_own_answer_redacted_and_bounded(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        var ann = await ConfirmedAsync(rig, "ann@example.org");
        var bob = await ConfirmedAsync(rig, "bob@example.org");
        var cat = await ConfirmedAsync(rig, "cat@example.org");
        // Taken in one chunk; recorded in one statement with the answers in another order than the ids were claimed.
        var taken = await rig.LessonsAsync(s => s.RecordThenTakeAsync(new SentChunk([], []),
            [.. new[] { ann, bob, cat }.Select(l => new LessonTake(l.LessonId, null, $"<{l.LessonId}@test>"))], rig.Now, CancellationToken.None));
        var chatty = "250 2.0.0 Ok: queued as 9XYZ for <bob@example.org> " + new string('x', 400);
        await rig.LessonsAsync(s => s.RecordThenTakeAsync(
            new SentChunk([cat.LessonId, ann.LessonId, bob.LessonId], [null, "250 2.0.0 Ok: queued as 4ABC", chatty], []), [], rig.Now, CancellationToken.None));

        var annDay1 = (await rig.EnrollmentAsync(ann.EnrollmentId)).Lessons[0];
        var bobDay1 = (await rig.EnrollmentAsync(bob.EnrollmentId)).Lessons[0];
        var catDay1 = (await rig.EnrollmentAsync(cat.EnrollmentId)).Lessons[0];
        Assert.Equal(3, taken.Count);
        Assert.All(new[] { annDay1, bobDay1, catDay1 }, l => Assert.Equal(LessonState.Sent, l.State));
        Assert.Equal("250 2.0.0 Ok: queued as 4ABC", annDay1.SmtpReply);
        Assert.Equal(SmtpReply.MaxLength, bobDay1.SmtpReply!.Length);
        Assert.StartsWith("250 2.0.0 Ok: queued as 9XYZ for <<address>> xxx", bobDay1.SmtpReply);
        Assert.DoesNotContain("bob@", bobDay1.SmtpReply);
        Assert.Null(catDay1.SmtpReply);
    }

    private static async Task<(long EnrollmentId, long LessonId)> ConfirmedAsync(RecordRig rig, string email)
    {
        var id = await rig.SeedPendingAsync(email);
        var confirmation = await rig.RecordAsync(r => r.ConfirmAsync(id, CancellationToken.None));
        return (id, confirmation.FirstLessonId!.Value);
    }
}
