using System.Diagnostics;

namespace Bootcamp.Operations;

/// <summary>What ASP.NET Core's request spans may hold: the route, never the path's token or the query's address.</summary>
internal static class RequestTracing
{
    /// <summary>Probes and scrapes are not traced: they would bury the requests that matter.</summary>
    public static bool Traced(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/metrics");

    /// <summary>
    /// A path such as /confirm/{token} carries a subscriber's token, and /admin's search an address in its query:
    /// the span keeps the route template in their place.
    /// </summary>
    public static void WithoutTokens(Activity span, HttpResponse response)
    {
        var route = (response.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        span.SetTag("url.path", route is null ? null : "/" + route.TrimStart('/'));
        span.SetTag("url.query", null);
    }
}
