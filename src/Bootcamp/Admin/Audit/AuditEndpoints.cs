using System.Globalization;
using Bootcamp.Admin.Accounts;
using Bootcamp.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bootcamp.Admin.Audit;

/// <summary>GET /admin/audit (newest first, by admin and by enrollment, keyset paging) and /admin/audit.csv (the same filter, streamed). Operators only.</summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder admin)
    {
        admin.MapGet("/audit", ListAsync).RequireAuthorization(AdminPolicies.Operator);
        admin.MapGet("/audit.csv", CsvAsync).RequireAuthorization(AdminPolicies.Operator);
        return admin;
    }

    private static async Task<IResult> ListAsync(string? admin, string? enrollment, string? after, string? limit, HttpContext context, AuditLog log, CancellationToken cancellationToken)
    {
        if (Read(admin, enrollment, after, limit) is not { } filter)
        {
            return Invalid(enrollment, after, limit);
        }
        var (rows, next) = await log.PageAsync(filter, cancellationToken);
        return new RazorComponentResult<AdminAuditPage>(new Dictionary<string, object?>
        {
            [nameof(AdminAuditPage.Rows)] = rows,
            [nameof(AdminAuditPage.Admin)] = filter.Admin,
            [nameof(AdminAuditPage.Enrollment)] = filter.EnrollmentId,
            [nameof(AdminAuditPage.NextUrl)] = next is { } id ? Url("/admin/audit", filter with { After = id }, limit) : null,
            [nameof(AdminAuditPage.CsvUrl)] = Url("/admin/audit.csv", filter with { After = null }, null),
        });
    }

    private static async Task<IResult> CsvAsync(string? admin, string? enrollment, HttpContext context, AuditLog log, AdminAudit audit, CancellationToken cancellationToken)
    {
        if (Read(admin, enrollment, null, null) is not { } filter)
        {
            return Invalid(enrollment, null, null);
        }
        await audit.RecordAsync(context, AuditActions.AuditExported, filter.EnrollmentId, AuditOutcomes.Done,
            filter.Admin is null ? null : $"admin={filter.Admin}", cancellationToken);
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"audit.csv\"";
        await log.WriteCsvAsync(filter, context.Response.Body, cancellationToken);
        return TypedResults.Empty;
    }

    private static AuditFilter? Read(string? admin, string? enrollment, string? after, string? limit)
    {
        if (!KeysetPaging.TryReadId(enrollment, out var enrollmentId) || !KeysetPaging.TryReadId(after, out var afterId)
            || !KeysetPaging.TryReadLimit(limit, AuditFilter.DefaultLimit, out var size))
        {
            return null;
        }
        return new AuditFilter(string.IsNullOrWhiteSpace(admin) ? null : AdminAccounts.KeyOf(admin), enrollmentId, afterId, size);
    }

    /// <summary>Names the first field <see cref="Read"/> refused.</summary>
    private static IResult Invalid(string? enrollment, string? after, string? limit)
    {
        var field = Read(null, enrollment, null, null) is null ? "enrollment" : Read(null, null, after, null) is null ? "after" : "limit";
        var expected = field == "limit" ? "a whole number from 1 to 200" : "an id (a whole number above 0)";
        return AdminPage.Message("Audit log", "Please check the filter", [$"{field}: {expected}."], new BackLink("/admin/audit", "The whole audit log"), StatusCodes.Status400BadRequest);
    }

    private static string Url(string path, AuditFilter filter, string? limit)
    {
        string?[] parts =
        [
            filter.Admin is { } a ? "admin=" + Uri.EscapeDataString(a) : null,
            filter.EnrollmentId is { } e ? "enrollment=" + e.ToString(CultureInfo.InvariantCulture) : null,
            filter.After is { } after ? "after=" + after.ToString(CultureInfo.InvariantCulture) : null,
            string.IsNullOrEmpty(limit) ? null : "limit=" + Uri.EscapeDataString(limit),
        ];
        var query = string.Join('&', parts.OfType<string>());
        return query.Length == 0 ? path : path + "?" + query;
    }
}
