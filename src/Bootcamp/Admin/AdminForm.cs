using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bootcamp.Admin;

/// <summary>The admin area's hand-read forms: the antiforgery check, and the 400 page when it fails (<see cref="AdminPage.Invalid"/> names any other field).</summary>
internal static class AdminForm
{
    /// <summary>The posted form, or null when it is not a form or its antiforgery token is missing or stale.</summary>
    public static async Task<IFormCollection?> ReadAsync(HttpContext context, IAntiforgery antiforgery, CancellationToken cancellationToken) =>
        context.Request.HasFormContentType && await antiforgery.IsRequestValidAsync(context)
            ? await context.Request.ReadFormAsync(cancellationToken)
            : null;

    public static RazorComponentResult StaleToken(BackLink? back = null) => AdminPage.Invalid("__af", "the form's token is missing or stale; open the page again and repeat", back);
}
