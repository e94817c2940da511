using System.Reflection;

namespace Bootcamp.Operations;

/// <summary>The page stylesheet and script, embedded in the assembly and served from memory.</summary>
public static class PageAssets
{
    public static IEndpointRouteBuilder MapPageAssets(this IEndpointRouteBuilder app)
    {
        Map(app, "/site.css", "Assets/site.css", "text/css; charset=utf-8");
        Map(app, "/timezone.js", "Assets/timezone.js", "text/javascript; charset=utf-8");
        // The admin overview's stylesheet and charts (Chart.js, vendored: no CDN).
        Map(app, "/admin.css", "Assets/admin.css", "text/css; charset=utf-8");
        Map(app, "/chart.umd.js", "Assets/chart.umd.js", "text/javascript; charset=utf-8");
        Map(app, "/overview.js", "Assets/overview.js", "text/javascript; charset=utf-8");
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, string path, string resource, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded asset {resource} is missing.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        app.MapGet(path, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return TypedResults.Bytes(bytes, contentType);
        }).ExcludeFromDescription();
    }
}
