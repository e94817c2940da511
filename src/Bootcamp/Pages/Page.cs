using Microsoft.AspNetCore.Http.HttpResults;

namespace Bootcamp.Pages;

/// <summary>Server-rendered Razor components as endpoint results.</summary>
public static class Page
{
    public static RazorComponentResult Message(string title, string heading, string[] paragraphs, string? buttonLabel = null, int status = StatusCodes.Status200OK) =>
        new RazorComponentResult<MessagePage>(new Dictionary<string, object?>
        {
            [nameof(MessagePage.Title)] = title,
            [nameof(MessagePage.Heading)] = heading,
            [nameof(MessagePage.Paragraphs)] = paragraphs,
            [nameof(MessagePage.ButtonLabel)] = buttonLabel,
        })
        { StatusCode = status };

    public static RazorComponentResult NotFound() => Message(
        "Link not found", "This link doesn't work (any more)",
        ["It may have expired or been copied only in part. If you were signing up, you can simply sign up again."],
        status: StatusCodes.Status404NotFound);

    /// <summary>Pages reached through a token: the token must not leak through Referer or a shared cache.</summary>
    public static void ProtectToken(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>303 after a successful POST, so a reload does not post again.</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
