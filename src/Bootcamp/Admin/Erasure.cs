using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Admin;

/// <summary>
/// Erases a person: every enrollment of the address, its lessons and events go; a suppression entry
/// (keyed hash only) stays, so they are not mailed again without new consent. No mail is sent about it.
/// </summary>
public sealed class Erasure(BootcampDb db, SuppressionList suppressions, ILogger<Erasure> logger)
{
    public async Task<int> EraseAsync(string email, CancellationToken cancellationToken)
    {
        var key = EmailAddress.Key(email);
        var enrollmentIds = await db.Enrollments.Where(e => e.EmailKey == key).Select(e => e.Id).ToListAsync(cancellationToken);
        if (enrollmentIds.Count == 0)
        {
            return 0;
        }
        // Suppress first: should anything below fail, the address is already safe from mail.
        await suppressions.SuppressAsync(email, "erased", cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Events.Where(ev => db.Lessons.Any(l => l.Id == ev.LessonId && enrollmentIds.Contains(l.EnrollmentId)))
            .ExecuteDeleteAsync(cancellationToken);
        await db.Lessons.Where(l => enrollmentIds.Contains(l.EnrollmentId)).ExecuteDeleteAsync(cancellationToken);
        var erased = await db.Enrollments.Where(e => enrollmentIds.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Erased {Count} enrollments on an admin's request", erased);
        return erased;
    }
}
