namespace Bootcamp.Persistence;

/// <summary>
/// One thing an admin did, or tried (a failed sign-in has no admin, only the address typed). Ids, never a
/// reader's address: an entry outlives the erasure of the enrollment it names.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public long? AdminId { get; set; }
    public required string AdminEmail { get; set; }
    /// <summary>One of <see cref="Admin.Audit.AuditActions"/>.</summary>
    public required string Action { get; set; }
    public long? EnrollmentId { get; set; }
    public required string ClientKey { get; set; }
    /// <summary>What came of it: <c>done</c>, <c>already</c>, <c>refused</c>, <c>failed</c>, …</summary>
    public required string Outcome { get; set; }
    /// <summary>The action's arguments, such as <c>days=3</c> or another admin's address; never a reader's.</summary>
    public string? Detail { get; set; }
}
