using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.Operations;
using Bootcamp.Pages;
using Bootcamp.Security;

namespace Bootcamp.Tracking;

public static class TrackingModule
{
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
        app.MapOpenPixel();
        app.MapMethods("/t/c/{token}", [HttpMethods.Get, HttpMethods.Head], ClickAsync).RequireRateLimiting(ClientRateLimits.Token)
            .Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status429TooManyRequests);
        app.MapGet("/d/{token}", DonePage).RequireRateLimiting(ClientRateLimits.Token).ProducesTokenPage();
        app.MapPost("/d/{token}", DoneAsync).DisableAntiforgery().RequireRateLimiting(ClientRateLimits.Token).ProducesTokenPage();
        return app;
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
        if (target.Tracked)
        {
            await store.RecordClickAsync(lessonId, index, target.LinkCount, builtAt, counted, cancellationToken);
        }
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

    private static async Task<IResult> DoneAsync(string token, HttpContext context, LinkTokens tokens, CourseRecord record, CancellationToken cancellationToken)
    {
        Page.ProtectToken(context);
        if (!tokens.TryRead(TokenPurpose.Done, token, out var lessonId, out _) || await record.RecordStepDoneAsync(lessonId, cancellationToken) == Change.NotFound)
        {
            return Page.NotFound();
        }
        return Page.Message("Step recorded", "Well done",
            ["Today's step is marked as done. That took courage. Tomorrow's lesson arrives in the morning."]);
    }
}
