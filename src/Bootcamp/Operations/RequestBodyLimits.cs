using Microsoft.AspNetCore.Http.Features;

namespace Bootcamp.Operations;

/// <summary>
/// Small request bodies everywhere: nothing a reader or a program sends here needs more than a few KB, and a
/// large body must be refused before anything reads it, not after it has been buffered and parsed.
/// </summary>
public static class RequestBodyLimits
{
    /// <summary>Sign-up (JSON or form), confirm, unsubscribe, "done" and everything else public.</summary>
    public const long PublicBytes = 8 * 1024;

    /// <summary>Admin forms and the job dashboard's.</summary>
    public const long AdminBytes = 64 * 1024;

    /// <summary>Kestrel's own default limit: a declared body up to this is received and discarded after a 413.</summary>
    private const long DrainedUnreadBytes = 30_000_000;

    public static WebApplicationBuilder AddRequestBodyLimits(this WebApplicationBuilder builder)
    {
        // The ceiling for every connection; the middleware lowers it per request.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = AdminBytes);
        return builder;
    }

    /// <summary>413 at once for a declared length over the limit; a chunked body is cut off where it passes it.</summary>
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.Request.Path.StartsWithSegments("/admin") ? AdminBytes : PublicBytes;
        var bodySize = context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature ? feature : null;
        if (context.Request.ContentLength is { } length && length > limit)
        {
            // Nothing reads it. Up to Kestrel's usual ceiling the server then drains it unread, so that a client
            // still sending sees this answer instead of a connection reset; past that the connection closes.
            if (bodySize is not null && length <= DrainedUnreadBytes)
            {
                bodySize.MaxRequestBodySize = null;
            }
            await TooLarge(context, limit);
            return;
        }
        if (bodySize is not null)
        {
            bodySize.MaxRequestBodySize = limit;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            // Kestrel throws this from the read that passed the limit: an answer, not a server error.
            context.Response.Clear();
            await TooLarge(context, limit);
        }
    });

    private static Task TooLarge(HttpContext context, long limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.",
            detail: $"At most {limit / 1024} KB.").ExecuteAsync(context);
}
