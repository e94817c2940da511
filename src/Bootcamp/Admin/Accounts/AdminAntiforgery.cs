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
                http.Response.Headers.CacheControl = "no-store";
                return http.Request.Path.StartsWithSegments("/admin/api")
                    ? TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        [HeaderName(http)] = ["the antiforgery token is missing or stale; GET /admin/api/antiforgery gives one"],
                    })
                    : AdminForm.StaleToken(http.Request.Path.Value is { } path && path != "/admin/login" ? new BackLink(path, "Open the page again") : null);
            }
            return await next(context);
        });
        return group;
    }

    public static string HeaderName(HttpContext context) =>
        context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AntiforgeryOptions>>().Value.HeaderName ?? "RequestVerificationToken";
}
