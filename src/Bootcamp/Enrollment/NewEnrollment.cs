using Bootcamp.Domain;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Enrollment;

/// <summary>
/// A new pending enrollment, inserted in one statement that returns its id (columns by the snake_case
/// convention). The statement runs for every sign-up, inserting nothing when <c>insert</c> is false, so that
/// a sign-up that starts a course and one that does not do the same database work (see EnrollmentService). Written out rather than through SaveChanges, whose change tracking, command building and
/// key propagation were a fifth of a sign-up's CPU (perf, sign-up benchmark).
/// </summary>
internal static class NewEnrollment
{
    private const string Sql = """
        INSERT INTO enrollments (email, email_key, first_name, time_zone, discreet, no_tracking, stage, status, created_at,
                                 consent_source, consent_version, confirmation_requested_at, soft_bounces, finished_note_attempts)
        SELECT @email, @key, @first_name, @zone, @discreet, @no_tracking, @stage, @status, @now, @source, @version, @now, 0, 0
        WHERE @insert
        ON CONFLICT DO NOTHING
        RETURNING id AS "Value"
        """;

    /// <returns>The new id; null when not <paramref name="insert"/>, or when an open enrollment for the address already exists (a race lost).</returns>
    public static async Task<long?> InsertAsync(BootcampDb db, bool insert, ValidSignup signup, string emailKey, string source, string consentVersion,
        DateTime now, CancellationToken cancellationToken)
    {
        // ON CONFLICT DO NOTHING, not a caught unique violation: it runs inside the sign-up's transaction, which
        // an error would abort on PostgreSQL.
        var ids = await db.Database.SqlQueryRaw<long>(Sql,
            db.Parameter("email", signup.Email),
            db.Parameter("key", emailKey),
            db.Parameter("first_name", (object?)signup.FirstName ?? DBNull.Value),
            db.Parameter("zone", signup.TimeZone.Id),
            db.Parameter("discreet", signup.Discreet),
            db.Parameter("no_tracking", signup.NoTracking),
            db.Parameter("stage", signup.Stage is { } stage ? Stages.Name(stage) : DBNull.Value),
            db.Parameter("status", nameof(EnrollmentStatus.Pending)),
            db.Parameter("now", now),
            db.Parameter("source", source),
            db.Parameter("version", consentVersion),
            db.Parameter("insert", insert)).ToListAsync(cancellationToken);
        return ids.Count == 1 ? ids[0] : null;
    }
}
