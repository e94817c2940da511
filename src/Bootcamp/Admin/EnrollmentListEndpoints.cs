using System.Globalization;
using Bootcamp.Admin.Accounts;
using Bootcamp.Admin.Audit;
using Bootcamp.Domain;
using Bootcamp.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bootcamp.Admin;

/// <summary>GET /admin/enrollments (the list) and /admin/enrollments.csv (the same filter, streamed).</summary>
public static class EnrollmentListEndpoints
{
    public static RouteGroupBuilder MapEnrollmentList(this RouteGroupBuilder admin)
    {
        admin.MapGet("/enrollments", ListAsync);
        admin.MapGet("/enrollments.csv", CsvAsync).RequireAuthorization(AdminPolicies.Operator);
        return admin;
    }

    private static async Task<IResult> ListAsync(string? q, string? status, string? after, string? limit, HttpContext context, EnrollmentList list, CancellationToken cancellationToken)
    {
        if (Read(q, status, after, limit) is not { } filter)
        {
            return Invalid(status, after, limit);
        }
        var (rows, next) = await list.PageAsync(filter, mayReveal: context.User.IsOperator(), cancellationToken);
        return new RazorComponentResult<AdminEnrollmentsPage>(new Dictionary<string, object?>
        {
            [nameof(AdminEnrollmentsPage.Rows)] = rows,
            [nameof(AdminEnrollmentsPage.Query)] = q,
            [nameof(AdminEnrollmentsPage.Status)] = filter.Status?.ToString().ToLowerInvariant(),
            [nameof(AdminEnrollmentsPage.NextUrl)] = next is { } id ? Url("/admin/enrollments", q, filter.Status, id, limit) : null,
            [nameof(AdminEnrollmentsPage.CsvUrl)] = !context.User.IsOperator() ? null : Url("/admin/enrollments.csv", q, filter.Status, null, null),
        });
    }

    private static async Task<IResult> CsvAsync(string? q, string? status, HttpContext context, EnrollmentList list, AdminAudit audit, CancellationToken cancellationToken)
    {
        if (Read(q, status, null, null) is not { } filter)
        {
            return Invalid(status, null, null);
        }
        // An export of personal data: who took it, and of what, goes on record before the first row leaves. The
        // search itself is not written down: it may be a reader's address.
        await audit.RecordAsync(context, AuditActions.ExportCsv, null, AuditOutcomes.Done,
            $"status={filter.Status?.ToString().ToLowerInvariant() ?? "any"} search={(string.IsNullOrEmpty(q) ? "none" : "given")}", cancellationToken);
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"enrollments.csv\"";
        await list.WriteCsvAsync(filter, context.Response.Body, cancellationToken);
        return TypedResults.Empty;
    }

    private static EnrollmentFilter? Read(string? q, string? status, string? after, string? limit)
    {
        EnrollmentStatus? parsed = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<EnrollmentStatus>(status, ignoreCase: true, out var value) || !Enum.IsDefined(value) || int.TryParse(status, out _))
            {
                return null;
            }
            parsed = value;
        }
        if (!KeysetPaging.TryReadId(after, out var afterId) || !KeysetPaging.TryReadLimit(limit, EnrollmentFilter.DefaultLimit, out var size))
        {
            return null;
        }
        return new EnrollmentFilter(string.IsNullOrWhiteSpace(q) ? null : q.Trim(), parsed, afterId, size);
    }

    /// <summary>Names the first field <see cref="Read"/> refused.</summary>
    private static IResult Invalid(string? status, string? after, string? limit)
    {
        var field = Read(null, status, null, null) is null ? "status" : Read(null, null, after, null) is null ? "after" : "limit";
        return AdminPage.Message("Enrollments", "Please check the search", [$"{field}: not a value this list knows."], new BackLink("/admin/enrollments", "Every enrollment"), StatusCodes.Status400BadRequest);
    }

    private static string Url(string path, string? q, EnrollmentStatus? status, long? after, string? limit)
    {
        string?[] parts =
        [
            string.IsNullOrWhiteSpace(q) ? null : "q=" + Uri.EscapeDataString(q.Trim()),
            status is { } s ? "status=" + s.ToString().ToLowerInvariant() : null,
            after is { } a ? "after=" + a.ToString(CultureInfo.InvariantCulture) : null,
            string.IsNullOrEmpty(limit) ? null : "limit=" + Uri.EscapeDataString(limit),
        ];
        var query = string.Join('&', parts.OfType<string>());
        return query.Length == 0 ? path : path + "?" + query;
    }
}
