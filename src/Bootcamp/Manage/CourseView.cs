using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Bootcamp.Manage;

/// <summary>What the reader's own page shows of their course, with times in their zone.</summary>
public sealed record CourseView(
    EnrollmentStatus Status, string TimeZone, string SendAt, bool Discreet, bool Tracking, int Sent, string? NextLesson, string? PausedUntil, Stage? Stage = null)
{
    private static readonly ZonedDateTimePattern When = ZonedDateTimePattern.CreateWithInvariantCulture("dddd d MMMM, HH:mm", null);

    /// <summary>Whether pause, resume, skip and a new time still apply.</summary>
    public bool Running => EnrollmentRules.Running.Contains(Status);

    public static async Task<CourseView?> ReadAsync(BootcampDb db, CampaignOptions campaign, long enrollmentId, CancellationToken cancellationToken)
    {
        var course = await db.Enrollments.AsNoTracking().Where(e => e.Id == enrollmentId)
            .Select(e => new
            {
                e.Status, e.TimeZone, e.SendAt, e.Discreet, e.NoTracking, e.PausedUntil, e.Stage,
                Sent = e.Lessons.Count(l => l.State == LessonState.Sent),
                Next = e.Lessons.Where(l => l.State == LessonState.Scheduled).OrderBy(l => l.Day).Select(l => (DateTime?)l.DueAt).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (course is null)
        {
            return null;
        }
        var schedule = ReaderSchedule.Of(campaign, course.TimeZone, course.SendAt);
        return new CourseView(course.Status, course.TimeZone, ReaderSchedule.Format(schedule.SendAt), course.Discreet, !course.NoTracking, course.Sent,
            Local(course.Next, schedule.Zone), Local(course.PausedUntil, schedule.Zone), course.Stage);
    }

    /// <summary>"Thursday 26 March, 08:00" in the reader's zone.</summary>
    public static string? Local(DateTime? utc, DateTimeZone zone) =>
        utc is { } time ? When.Format(Instant.FromDateTimeUtc(DateTime.SpecifyKind(time, DateTimeKind.Utc)).InZone(zone)) : null;
}
