using System.Text.Json;
using System.Text.Json.Serialization;
using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Admin;

/// <summary>
/// Everything stored about one person, for a subject-access request: every enrollment of the address (the person is
/// the address; erasure takes them all too), with choices, consent, each lesson's schedule, sends, Message-IDs,
/// opens, clicks and steps, the tracking events, the course's events, and whether the address is suppressed.
/// Times are UTC.
/// </summary>
public sealed class PersonExport(BootcampDb db, AddressHasher hasher, TimeProvider time)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <returns>Null when the enrollment is not there, or its person was erased or forgotten.</returns>
    public async Task<PersonData?> ReadAsync(long enrollmentId, CancellationToken cancellationToken)
    {
        var key = await db.Enrollments.Where(e => e.Id == enrollmentId).Select(e => e.EmailKey).FirstOrDefaultAsync(cancellationToken);
        if (key is null or CourseRecord.ForgottenAddress)
        {
            return null;
        }
        var enrollments = await db.Enrollments.AsNoTracking().Include(e => e.Lessons)
            .Where(e => e.EmailKey == key).OrderBy(e => e.Id).AsSplitQuery().ToListAsync(cancellationToken);
        var ids = enrollments.Select(e => e.Id).ToList();
        var days = enrollments.SelectMany(e => e.Lessons).ToDictionary(l => l.Id, l => (l.EnrollmentId, l.Day));
        var lessonIds = days.Keys.ToList();
        var events = await db.Events.AsNoTracking().Where(ev => lessonIds.Contains(ev.LessonId)).OrderBy(ev => ev.Id).ToListAsync(cancellationToken);
        var outbox = await db.Outbox.AsNoTracking().Where(o => ids.Contains(o.EnrollmentId)).OrderBy(o => o.Id).ToListAsync(cancellationToken);
        var email = enrollments.First(e => e.Id == enrollmentId).Email;
        var hash = hasher.Hash(email);
        var suppression = await db.Suppressions.AsNoTracking().Where(s => s.AddressHash == hash)
            .Select(s => new SuppressionData(s.Reason, s.CreatedAt)).FirstOrDefaultAsync(cancellationToken);

        return new PersonData(
            Utc(time.GetUtcNow().UtcDateTime), email, suppression is null ? null : suppression with { Since = Utc(suppression.Since) },
            [.. enrollments.Select(e => Enrollment(e,
                [.. events.Where(ev => days[ev.LessonId].EnrollmentId == e.Id).Select(ev => new TrackingData(days[ev.LessonId].Day, ev.Kind, Utc(ev.At)))],
                [.. outbox.Where(o => o.EnrollmentId == e.Id).Select(o => new CourseEventData(o.Type, o.Day, Utc(o.OccurredAt)))]))]);
    }

    private static EnrollmentData Enrollment(EnrollmentRecord e, IReadOnlyList<TrackingData> events, IReadOnlyList<CourseEventData> courseEvents) => new(
        e.Id, e.Status, e.Email, e.FirstName, e.TimeZone, e.SendAt, e.Discreet, Tracking: !e.NoTracking, e.Stage is { } stage ? Stages.Name(stage) : null,
        new ConsentData(e.ConsentSource, e.ConsentVersion, Utc(e.CreatedAt), Utc(e.ConfirmedAt), Utc(e.UnsubscribedAt)),
        Utc(e.ConfirmationRequestedAt), Utc(e.ConfirmationSentAt), Utc(e.PausedUntil), Utc(e.BouncedAt), Utc(e.FinishedAt), Utc(e.CompletedAt), e.SoftBounces,
        [.. e.Lessons.OrderBy(l => l.Day).Select(l => new LessonData(
            l.Day, l.State, Utc(l.DueAt), Utc(l.SentAt), l.MessageId, l.Attempts, l.LastError, Utc(l.OpenedAt), Utc(l.MachineOpenedAt), Utc(l.ClickedAt),
            Utc(l.CompletedAt), l.Resends, Utc(l.ResentAt), l.Links?.Split('\n') ?? []))],
        e.FinishedNoteState is { } noteState
            ? new FinishedNoteData(noteState, Utc(e.FinishedNoteDueAt), Utc(e.FinishedNoteSentAt), e.FinishedNoteAttempts, e.FinishedNoteError)
            : null,
        events, courseEvents);

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
