using Microsoft.AspNetCore.Antiforgery;

namespace Bootcamp.Admin.Accounts;

/// <summary>
/// Every request under /admin that changes something (POST, PUT, PATCH, DELETE) carries an antiforgery token, in the
/// form or, for programs calling the JSON API, in the header: checked here once for the whole area, whatever the
/// endpoint binds, so an endpoint added later cannot forget it.
/// </summary>
public static class AdminAntiforgery
{
    public static RouteGroupBuilder RequireAntiforgeryOnChanges(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            // IsRequestValidAsync lets GET, HEAD, OPTIONS and TRACE through.
            if (!await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                return http.Request.Path.StartsWithSegments("/admin/api")
                    ? TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        [HeaderName(http)] = ["the antiforgery token is missing or stale; GET /admin/api/antiforgery gives one"],
                    })
                    : AdminForm.StaleToken(PageOf(http.Request.Path.Value ?? "/admin"));
            }
            return await next(context);
        });
        return group;
    }

    /// <summary>The page whose form posts to <paramref name="path"/>: where a fresh token is, for the answer's link.</summary>
    private static BackLink PageOf(string path) => path switch
    {
        "/admin/login" => new BackLink("/admin/login", "Sign in again"),
        "/admin/logout" => new BackLink("/admin", "Back to the overview"),
        "/admin/account/password" => BackLink.ToAccount,
        "/admin/lessons/test" => new BackLink("/admin/lessons", "Back to the emails"),
        _ when path.StartsWith("/admin/enrollments/", StringComparison.Ordinal) => new BackLink(path.EndsWith(".json", StringComparison.Ordinal) ? path[..^".json".Length] : path, "Open the page again"),
        _ => new BackLink(path, "Open the page again"),
    };

    public static string HeaderName(HttpContext context) =>
        context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AntiforgeryOptions>>().Value.HeaderName ?? "RequestVerificationToken";
}
