using Bootcamp.Pages;
using Bootcamp.Persistence;
using Microsoft.AspNetCore.Diagnostics;

namespace Bootcamp.Operations;

/// <summary>
/// A request that failed because the database is away answers 503 with Retry-After (problem+json, or a
/// short page for a browser), not 500: nothing is wrong with the request, and the client may simply retry.
/// The outage is logged once by <see cref="DatabaseOutage"/>; handled here, the exception handler logs no stack trace.
/// </summary>
internal sealed class DatabaseUnavailableHandler(DatabaseOutage outage, IProblemDetailsService problems) : IExceptionHandler
{
    internal const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!outage.Noted(exception))
        {
            return false;
        }
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        if (context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            await Page.Message("Back in a moment", "Back in a moment",
                ["We can't do this right now. Please try again in a minute."],
                status: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
            return true;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is briefly unavailable; try again shortly.",
            },
        });
    }
}
