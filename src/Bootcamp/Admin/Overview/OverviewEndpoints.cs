using System.Text.Json;
using Bootcamp.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bootcamp.Admin.Overview;

/// <summary>GET /admin (the overview page) and GET /admin/api/overview (the same figures as JSON).</summary>
public static class OverviewEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapOverview(this RouteGroupBuilder admin)
    {
        admin.MapGet("/", PageAsync);
        admin.MapGet("/api/overview", ApiAsync);
        return admin;
    }

    private static async Task<IResult> PageAsync(string? range, string? status, string? discreet, OverviewQueries queries, CancellationToken cancellationToken)
    {
        var (filter, badField) = OverviewFilter.Read(range, status, discreet);
        if (filter is null)
        {
            return AdminPage.Message("Overview", "Please check the filter", [$"{badField}: not a value this page knows."], new BackLink("/admin", "The overview without filters"), StatusCodes.Status400BadRequest);
        }
        var report = await queries.ReadAsync(filter, cancellationToken);
        return new RazorComponentResult<AdminOverviewPage>(new Dictionary<string, object?>
        {
            [nameof(AdminOverviewPage.Report)] = report,
            [nameof(AdminOverviewPage.ChartData)] = JsonSerializer.Serialize(ChartData(report), Json),
        });
    }

    private static async Task<IResult> ApiAsync(string? range, string? status, string? discreet, OverviewQueries queries, CancellationToken cancellationToken)
    {
        var (filter, badField) = OverviewFilter.Read(range, status, discreet);
        if (filter is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [badField!] = ["Not a value this filter knows."] });
        }
        return TypedResults.Ok(await queries.ReadAsync(filter, cancellationToken));
    }

    /// <summary>What overview.js draws: labels and series, nothing else.</summary>
    private static object ChartData(OverviewReport report) => new
    {
        funnel = new { labels = report.Funnel.Select(s => s.Label), counts = report.Funnel.Select(s => s.Count) },
        trend = new
        {
            labels = report.Trend.Select(t => t.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            signedUp = report.Trend.Select(t => t.SignedUp),
            confirmed = report.Trend.Select(t => t.Confirmed),
            finished = report.Trend.Select(t => t.Finished),
        },
    };
}
