using System.Data.Common;
using Bootcamp.Domain;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Enrollment;

/// <summary>
/// A new pending enrollment, inserted in one statement that returns its id (columns by the snake_case
/// convention). Written out rather than through SaveChanges, whose change tracking, command building and
/// key propagation were a fifth of a sign-up's CPU (perf, sign-up benchmark).
/// </summary>
internal static class NewEnrollment
{
    private const string Sql = """
        INSERT INTO enrollments (email, email_key, first_name, time_zone, discreet, no_tracking, stage, status, created_at,
                                 consent_source, consent_version, confirmation_requested_at, soft_bounces, finished_note_attempts)
        VALUES (@email, @key, @first_name, @zone, @discreet, @no_tracking, @stage, @status, @now, @source, @version, @now, 0, 0)
        RETURNING id AS "Value"
        """;

    /// <returns>The new id; null when an open enrollment for the address already exists (a race lost).</returns>
    public static async Task<long?> InsertAsync(BootcampDb db, ValidSignup signup, string emailKey, string source, string consentVersion,
        DateTime now, CancellationToken cancellationToken)
    {
        try
        {
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
                db.Parameter("version", consentVersion)).ToListAsync(cancellationToken);
            return ids.Single();
        }
        catch (DbException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            return null;
        }
    }
}
