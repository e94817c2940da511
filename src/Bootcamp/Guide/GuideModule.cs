using Bootcamp.Operations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bootcamp.Guide;

/// <summary>
/// Static pages a reader may choose to pass on. Nothing about the reader: no token, no tracking, the same
/// page for everyone. Paths and titles name no topic, as discreet readers' links must not.
/// </summary>
public static class GuideModule
{
    /// <summary>The page for the one who caused the hurt; Day 5 links to it.</summary>
    public const string RepairPath = "/guide/putting-things-right";

    public static IEndpointRouteBuilder MapGuide(this IEndpointRouteBuilder app)
    {
        app.MapGet(RepairPath, RepairPage).ProducesPage(StatusCodes.Status200OK);
        return app;
    }

    private static RazorComponentResult<RepairPage> RepairPage(HttpContext context)
    {
        // The same for every visitor, so a shared cache may keep it; an hour lets a corrected text reach readers soon.
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return new RazorComponentResult<RepairPage>();
    }
}
