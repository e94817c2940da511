using Bootcamp.Domain;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Enrollment;

/// <summary>
/// Everything "who gets what" needs to know about an address, in one statement: whether it is suppressed,
/// and its latest enrollment (columns by the snake_case convention). A sign-up used to ask twice.
/// </summary>
internal sealed record SignupProbe(bool Suppressed, long? Id, string? Status, DateTime? ConfirmationRequestedAt)
{
    /// <summary>The latest enrollment's status; null when the address never signed up.</summary>
    public EnrollmentStatus? LatestStatus => Status is null ? null : Enum.Parse<EnrollmentStatus>(Status);

    /// <summary>When the latest enrollment last asked for a confirmation (the record's times are UTC).</summary>
    public DateTimeOffset? RequestedAt => ConfirmationRequestedAt is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    private const string Sql = """
        SELECT EXISTS (SELECT 1 FROM suppressions WHERE address_hash IN ({0})) AS suppressed,
               e.id, e.status, e.confirmation_requested_at
        FROM (SELECT 1 AS one) AS probe
        LEFT JOIN (SELECT id, status, confirmation_requested_at FROM enrollments
                   WHERE email_key = @key ORDER BY id DESC LIMIT 1) AS e ON 1 = 1
        """;

    /// <param name="addressHashes">The address under every hashing key (one per key, so the statement is the same for every address).</param>
    public static async Task<SignupProbe> ReadAsync(BootcampDb db, string[] addressHashes, string emailKey, CancellationToken cancellationToken)
    {
        List<object> parameters = [db.Parameter("key", emailKey), .. addressHashes.Select((h, i) => (object)db.Parameter($"hash{i}", h))];
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, Sql, string.Join(", ", addressHashes.Select((_, i) => $"@hash{i}")));
        return (await db.Database.SqlQueryRaw<SignupProbe>(sql, [.. parameters]).ToListAsync(cancellationToken)).Single();
    }
}
