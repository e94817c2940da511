using Bootcamp.Admin.Accounts;
using Bootcamp.Courses;
using Bootcamp.Persistence;
using Bootcamp.Security;

namespace Bootcamp.Admin.Audit;

/// <summary>
/// Writes the audit log: who did what, when, to which enrollment, from where, with what outcome. Call
/// <see cref="ActAsync"/> for an action that changes the record (the change and its entry commit together), and
/// <see cref="RecordAsync(HttpContext, string, long?, string, string?, CancellationToken)"/> for the rest.
/// </summary>
public sealed class AdminAudit(BootcampDb db, TimeProvider time)
{
    /// <summary>Records what the signed-in admin of <paramref name="context"/> did.</summary>
    public Task RecordAsync(HttpContext context, string action, long? enrollmentId, string outcome, string? detail, CancellationToken cancellationToken) =>
        RecordAsync(context.User.Id(), context.User.Email(), context, action, enrollmentId, outcome, detail, cancellationToken);

    /// <summary>Records an entry for a named admin: a sign-in, or a failed one (no id; the address as typed).</summary>
    public async Task RecordAsync(long? adminId, string adminEmail, HttpContext context, string action, long? enrollmentId, string outcome, string? detail,
        CancellationToken cancellationToken)
    {
        db.Audit.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            AdminId = adminId,
            AdminEmail = Cut(adminEmail, Domain.EmailAddress.MaxLength),
            Action = action,
            EnrollmentId = enrollmentId,
            ClientKey = ClientKey.Of(context.Connection.RemoteIpAddress),
            Outcome = outcome,
            Detail = detail is null ? null : Cut(detail, BootcampDb.AuditDetailMaxLength),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Runs a change of the course's record and writes its entry in the same transaction: there is an entry
    /// exactly when there is a change, and one for a refusal too.
    /// </summary>
    public async Task<Change> ActAsync(HttpContext context, string action, long? enrollmentId, string? detail,
        Func<CancellationToken, Task<Change>> act, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginOrJoinTransactionAsync(cancellationToken);
        var change = await act(cancellationToken);
        await RecordAsync(context, action, enrollmentId, OutcomeOf(change), detail, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return change;
    }

    public static string OutcomeOf(Change change) => change switch
    {
        Change.Done => AuditOutcomes.Done,
        Change.Already => AuditOutcomes.Already,
        Change.NotAllowed => AuditOutcomes.NotAllowed,
        _ => AuditOutcomes.NotFound,
    };

    private static string Cut(string value, int length) => value.Length > length ? value[..length] : value;
}
