using Bootcamp.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bootcamp.Admin;

/// <summary>A link from an admin answer to where the admin goes on: its address and what it says.</summary>
public sealed record BackLink(string Href, string Label)
{
    public static BackLink ToEnrollment(long id) => new($"/admin/enrollments/{id}", "Back to this enrollment");

    public static readonly BackLink ToEnrollments = new("/admin/enrollments", "Back to the enrollments");

    public static readonly BackLink ToAdmins = new("/admin/admins", "Back to the admins");

    public static readonly BackLink ToAccount = new("/admin/account", "Back to your account");
}

/// <summary>The admin area's answers as pages in its own layout (<see cref="AdminMessagePage"/>), never the public frame.</summary>
public static class AdminPage
{
    public static RazorComponentResult Message(string title, string heading, string[] paragraphs, BackLink? back = null, int status = StatusCodes.Status200OK) =>
        new RazorComponentResult<AdminMessagePage>(new Dictionary<string, object?>
        {
            [nameof(AdminMessagePage.Title)] = title,
            [nameof(AdminMessagePage.Heading)] = heading,
            [nameof(AdminMessagePage.Paragraphs)] = paragraphs,
            [nameof(AdminMessagePage.BackHref)] = back?.Href,
            [nameof(AdminMessagePage.BackLabel)] = back?.Label ?? "Back",
            [nameof(AdminMessagePage.Current)] = back?.Href is { } href ? AdminLayout.Sections.Select(s => s.Href).Where(s => s != "/admin" && href.StartsWith(s, StringComparison.Ordinal)).FirstOrDefault() : null,
        })
        { StatusCode = status };

    /// <summary>400: the form field named, and what it should hold.</summary>
    public static RazorComponentResult Invalid(string field, string expected, BackLink? back = null) =>
        Message("Please check", "Please check the form", [$"{field}: {expected.TrimEnd('.')}."], back, StatusCodes.Status400BadRequest);

    public static RazorComponentResult NotFound(string what, BackLink back) =>
        Message("Not found", "Not found", [$"{what} is not here: it may have been erased, or the address was mistyped."], back, StatusCodes.Status404NotFound);
}
