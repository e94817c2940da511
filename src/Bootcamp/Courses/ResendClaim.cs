using Bootcamp.Lessons;

namespace Bootcamp.Courses;

/// <summary>What claiming a resend did: the lesson to send again (and which resend of it this is), or why not, in words for the admin.</summary>
public sealed record ResendClaim(Change Change, LessonToSend? Lesson = null, int Resend = 0, string? Refusal = null)
{
    public static ResendClaim Refused(Change change, string why) => new(change, Refusal: why);
}
