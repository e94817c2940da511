using System.Buffers;
using Bootcamp.Domain;
using Bootcamp.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Bootcamp.Tracking;

/// <summary>
/// <c>GET /t/o/{token}</c>, the busiest request there is, answered at the very front of the pipeline:
/// before routing, the exception handler, security headers, rate limits, authentication and antiforgery,
/// none of which a 1×1 GIF needs. The open is queued (see <see cref="OpenRecorder"/>) before the GIF is
/// written, so an answered open is never one the record missed. Every token gets the GIF: a mail client has
/// nothing to learn from an error. HEAD gets the same headers, no body, and is not counted: nothing was shown.
/// </summary>
public static class OpenPixel
{
    private const string Prefix = "/t/o/";

    // The smallest transparent GIF: 1×1, one colour, fully transparent.
    private static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    // Built once: setting a header to a prepared StringValues copies nothing.
    private static readonly StringValues ImageGif = "image/gif";
    private static readonly StringValues NeverCache = "no-store, no-cache, must-revalidate, max-age=0";
    private static readonly StringValues NoSniff = "nosniff";

    public static IApplicationBuilder UseOpenPixel(this IApplicationBuilder app) => app.Use(next =>
    {
        // Resolved once when the server builds its pipeline, after start-up's checks, not per request.
        var tokens = app.ApplicationServices.GetRequiredService<LinkTokens>();
        var opens = app.ApplicationServices.GetRequiredService<OpenRecorder>();
        var time = app.ApplicationServices.GetRequiredService<TimeProvider>();
        return context => TokenOf(context.Request) is { } at
            ? AnswerAsync(context, at, tokens, opens, time)
            : next(context);
    });

    /// <summary>
    /// The pixel's route, for the API document and so that other methods get 405. GET and HEAD reach it only
    /// with a body (no mail client sends one), after the body limit: <see cref="UseOpenPixel"/> leaves those
    /// alone, since it never reads a body and an unread large one cost the client its answer.
    /// </summary>
    public static RouteHandlerBuilder MapOpenPixel(this IEndpointRouteBuilder app) =>
        app.MapMethods(Prefix + "{token}", [HttpMethods.Get, HttpMethods.Head],
                (string token, HttpContext context, LinkTokens tokens, OpenRecorder opens, TimeProvider time) =>
                    TokenIn(context.Request.Path.Value) is { } at ? AnswerAsync(context, at, tokens, opens, time) : Task.CompletedTask)
            .Produces<Stream>(StatusCodes.Status200OK, ImageGif.ToString());

    /// <summary>Where the token starts in the path, for GET and HEAD of <c>/t/o/{token}</c> (any case, as routing matched it) without a body; null for every other request.</summary>
    private static Range? TokenOf(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: true }
            ? TokenIn(request.Path.Value)
            : null;

    private static Range? TokenIn(string? path)
    {
        if (path is null || path.Length <= Prefix.Length || !path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        // One segment, as the route template had it, a trailing slash allowed.
        var end = path.EndsWith('/') ? path.Length - 1 : path.Length;
        return end > Prefix.Length && path.AsSpan(Prefix.Length, end - Prefix.Length).IndexOf('/') < 0 ? Prefix.Length..end : null;
    }

    private static Task AnswerAsync(HttpContext context, Range at, LinkTokens tokens, OpenRecorder opens, TimeProvider time)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method)
            && tokens.TryRead(TokenPurpose.Open, request.Path.Value.AsSpan()[at], out var lessonId, out _, out var builtAt))
        {
            var kind = OpenClassifier.Classify(request.Headers.UserAgent, context.Connection.RemoteIpAddress, time.GetUtcNow() - builtAt);
            if (!opens.TryRecord(lessonId, kind))
            {
                return QueueThenAnswerAsync(context, opens.RecordAsync(lessonId, kind, context.RequestAborted));
            }
        }
        Answer(context.Response, withBody: !HttpMethods.IsHead(request.Method));
        return Task.CompletedTask;
    }

    // Only when the queue is full (the database far behind): the GIF waits for the open to be queued.
    private static async Task QueueThenAnswerAsync(HttpContext context, ValueTask queued)
    {
        await queued;
        Answer(context.Response, withBody: true);
    }

    private static void Answer(HttpResponse response, bool withBody)
    {
        var headers = response.Headers;
        headers.ContentType = ImageGif;
        headers.CacheControl = NeverCache;
        headers.XContentTypeOptions = NoSniff;
        headers.ContentLength = Gif.Length;
        if (withBody)
        {
            // Buffered, not flushed: Kestrel sends headers and body together when the request ends.
            response.BodyWriter.Write(Gif);
        }
    }
}
