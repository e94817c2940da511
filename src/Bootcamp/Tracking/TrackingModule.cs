using Bootcamp.Domain;
using Bootcamp.Pages;
using Bootcamp.Security;

namespace Bootcamp.Tracking;

public static class TrackingModule
{
    // The smallest transparent GIF: 1×1, one colour, fully transparent.
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static IHostApplicationBuilder AddTracking(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<TrackingStore>();
        builder.Services.AddSingleton<ScannerBurstRule>();
        builder.Services.AddSingleton<OpenRecorder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OpenRecorder>());
        return builder;
    }

    public static IEndpointRouteBuilder MapTracking(this IEndpointRouteBuilder app)
    {
        // The hot path skips the rest of the pipeline (auth, antiforgery, rate limits): a GIF needs none of it.
        app.MapGet("/t/o/{token}", OpenAsync).ShortCircuit();
        app.MapMethods("/t/c/{token}", [HttpMethods.Get, HttpMethods.Head], ClickAsync);
        app.MapGet("/d/{token}", DonePage);
        app.MapPost("/d/{token}", DoneAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>Always the pixel, whatever the token: a mail client has nothing to learn from an error.</summary>
    /// <remarks>The hot path: no database work here (see <see cref="OpenRecorder"/>), and the delivery time comes from the token.</remarks>
    private static async Task<IResult> OpenAsync(string token, HttpContext context, LinkTokens tokens, OpenRecorder opens, TimeProvider time)
    {
        if (tokens.TryRead(TokenPurpose.Open, token, out var lessonId, out _, out var builtAt))
        {
            var kind = OpenClassifier.Classify(context.Request.Headers.UserAgent, context.Connection.RemoteIpAddress, time.GetUtcNow() - builtAt);
            await opens.RecordAsync(lessonId, kind, context.RequestAborted);
        }
        context.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate, max-age=0";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(Pixel, "image/gif");
    }

    private static async Task<IResult> ClickAsync(string token, HttpContext context, LinkTokens tokens, TrackingStore store, CancellationToken cancellationToken)
    {
        if (!tokens.TryRead(TokenPurpose.Click, token, out var lessonId, out var index, out var builtAt))
        {
            return TypedResults.NotFound();
        }
        var target = await store.LinkAsync(lessonId, index, cancellationToken);
        if (target is null)
        {
            return TypedResults.NotFound();
        }
        // Scanners follow links with HEAD or announce themselves; they get the redirect but are not counted.
        // Those that fetch every link on delivery are caught by the store (ScannerBurstRule).
        var counted = !OpenClassifier.IsScannerClick(context.Request.Method, context.Request.Headers.UserAgent);
        await store.RecordClickAsync(lessonId, index, target.LinkCount, builtAt, counted, cancellationToken);
        Page.ProtectToken(context);
        return TypedResults.Redirect(target.Url);
    }

    private static IResult DonePage(string token, HttpContext context, LinkTokens tokens)
    {
        Page.ProtectToken(context);
        if (!tokens.TryRead(TokenPurpose.Done, token, out _, out _))
        {
            return Page.NotFound();
        }
        return Page.Message("Today's step", "Did you do today's step?",
            ["However small it felt, it counts. Press the button to mark it done."],
            "I did today's step");
    }

    private static async Task<IResult> DoneAsync(string token, HttpContext context, LinkTokens tokens, TrackingStore store, CancellationToken cancellationToken)
    {
        Page.ProtectToken(context);
        if (!tokens.TryRead(TokenPurpose.Done, token, out var lessonId, out _) || !await store.RecordDoneAsync(lessonId, cancellationToken))
        {
            return Page.NotFound();
        }
        return Page.Message("Step recorded", "Well done",
            ["Today's step is marked as done. That took courage. Tomorrow's lesson arrives in the morning."]);
    }
}
