using Bootcamp.Domain;
using Bootcamp.Persistence;

namespace Bootcamp.UnitTests.Delivery;

/// <summary>An enrollment and its seven lessons, as the record holds them: active, every lesson scheduled, unless told.</summary>
internal sealed class EnrollmentBuilder
{
    private readonly LessonState[] _states = Enumerable.Repeat(LessonState.Scheduled, Campaign.LessonCount).ToArray();
    private string _email = "ann@example.org";
    private EnrollmentStatus _status = EnrollmentStatus.Active;
    private bool _discreet;
    private string _timeZone = "Europe/Paris";
    private TimeSpan? _finishedNoteDueIn;

    public EnrollmentBuilder For(string email)
    {
        _email = email;
        return this;
    }

    public EnrollmentBuilder WithStatus(EnrollmentStatus status)
    {
        _status = status;
        return this;
    }

    public EnrollmentBuilder InZone(string timeZone)
    {
        _timeZone = timeZone;
        return this;
    }

    /// <summary>Lesson <paramref name="day"/> failed for good (a 5xx, or retries run out) before the others went on.</summary>
    public EnrollmentBuilder Failed(int day)
    {
        _states[day - 1] = LessonState.Failed;
        return this;
    }

    public EnrollmentBuilder Discreet()
    {
        _discreet = true;
        return this;
    }

    /// <summary>Lessons before <paramref name="day"/> sent, <paramref name="day"/> and the <paramref name="count"/>-1 after it claimed by the dispatcher.</summary>
    public EnrollmentBuilder Claimed(int day, int count = 1)
    {
        for (var d = 1; d < day; d++)
        {
            _states[d - 1] = LessonState.Sent;
        }
        for (var d = day; d < day + count; d++)
        {
            _states[d - 1] = LessonState.Claimed;
        }
        return this;
    }

    /// <summary>All seven lessons delivered, the course finished, and its "you finished" note planned <paramref name="noteDueIn"/> from now.</summary>
    public EnrollmentBuilder Finished(TimeSpan noteDueIn)
    {
        Array.Fill(_states, LessonState.Sent);
        _status = EnrollmentStatus.Finished;
        _finishedNoteDueIn = noteDueIn;
        return this;
    }

    /// <summary>Builds it and stores it, lessons and all.</summary>
    public async Task<EnrollmentRecord> SaveAsync(BootcampDb db, DateTime now)
    {
        var enrollment = Build(now);
        db.Enrollments.Add(enrollment);
        await db.SaveChangesAsync();
        return enrollment;
    }

    public EnrollmentRecord Build(DateTime now)
    {
        var enrollment = new EnrollmentRecord
        {
            Email = _email,
            EmailKey = EmailAddress.Key(_email),
            TimeZone = _timeZone,
            Discreet = _discreet,
            Status = _status,
            CreatedAt = now.AddDays(-7),
            ConfirmedAt = now.AddDays(-7),
            ConsentSource = "api",
            ConsentVersion = "test",
            FinishedAt = _finishedNoteDueIn is null ? null : now,
            FinishedNoteDueAt = now + _finishedNoteDueIn,
            FinishedNoteState = _finishedNoteDueIn is null ? null : LessonState.Scheduled,
        };
        for (var day = 1; day <= Campaign.LessonCount; day++)
        {
            var state = _states[day - 1];
            enrollment.Lessons.Add(new LessonRecord
            {
                Day = day,
                DueAt = state == LessonState.Scheduled ? now.AddDays(day) : now.AddDays(day - Campaign.LessonCount),
                State = state,
                ClaimedAt = state == LessonState.Claimed ? now : null,
                SentAt = state == LessonState.Sent ? now.AddDays(day - Campaign.LessonCount) : null,
                Attempts = state == LessonState.Sent ? 1 : 0,
            });
        }
        return enrollment;
    }
}
