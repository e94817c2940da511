using System.Globalization;
using System.Text;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Admin.Audit;

/// <summary>The audit page's filter: one admin (by address), one enrollment, and the id to continue after.</summary>
public sealed record AuditFilter(string? Admin, long? EnrollmentId, long? After, int Limit)
{
    public const int DefaultLimit = 50;
}

/// <summary>Reads the audit log newest first: keyset paging on the id (never OFFSET), and the same filter streamed as CSV.</summary>
public sealed class AuditLog(BootcampDb db)
{
    public async Task<(IReadOnlyList<AuditEntry> Rows, long? Next)> PageAsync(AuditFilter filter, CancellationToken cancellationToken)
    {
        var rows = await Filtered(filter).Take(filter.Limit + 1).ToListAsync(cancellationToken);
        var next = rows.Count > filter.Limit ? rows[filter.Limit - 1].Id : (long?)null;
        return ([.. rows.Take(filter.Limit).Select(r => { r.At = DateTime.SpecifyKind(r.At, DateTimeKind.Utc); return r; })], next);
    }

    /// <summary>Writes the whole filter as CSV, a row at a time: memory stays flat at any size.</summary>
    public async Task WriteCsvAsync(AuditFilter filter, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), bufferSize: 16 * 1024);
        await writer.WriteAsync("id,at,admin_id,admin_email,action,enrollment_id,client,outcome,detail\r\n");
        await foreach (var e in Filtered(filter with { After = null }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(string.Join(',',
                e.Id.ToString(CultureInfo.InvariantCulture),
                DateTime.SpecifyKind(e.At, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                e.AdminId?.ToString(CultureInfo.InvariantCulture) ?? "", Csv.Cell(e.AdminEmail), Csv.Cell(e.Action),
                e.EnrollmentId?.ToString(CultureInfo.InvariantCulture) ?? "", Csv.Cell(e.ClientKey), Csv.Cell(e.Outcome), Csv.Cell(e.Detail ?? "")) + "\r\n");
        }
    }

    private IQueryable<AuditEntry> Filtered(AuditFilter filter)
    {
        var query = db.Audit.AsNoTracking();
        if (filter.Admin is { Length: > 0 } admin)
        {
            var key = AdminAccounts.KeyOf(admin);
            query = query.Where(e => e.AdminEmail == key);
        }
        if (filter.EnrollmentId is { } enrollment)
        {
            query = query.Where(e => e.EnrollmentId == enrollment);
        }
        if (filter.After is { } after)
        {
            query = query.Where(e => e.Id < after);
        }
        return query.OrderByDescending(e => e.Id);
    }
}
