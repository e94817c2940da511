using Bootcamp.Delivery;
using Bootcamp.Pages;
using Bootcamp.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using MimeKit;

namespace Bootcamp.Admin;

/// <summary>
/// GET /admin/lessons: every email, HTML and text side by side, normal or discreet, for a sample reader.
/// GET /admin/lessons/{email}.html: one email's HTML alone, for the preview's sandboxed frame.
/// POST /admin/lessons/test: that email to the signed-in admin, over the real transport, marked as a test and
/// recorded nowhere (no lesson, event or outbox row, no counter, no pixel, plain links).
/// </summary>
public static class LessonPreviewEndpoints
{
    /// <summary>
    /// The email's own HTML runs in a frame with no script, no requests (images from elsewhere included: a preview
    /// must not call out), its inline styles kept to itself, and only this site may frame it.
    /// </summary>
    internal const string FramedEmailPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox";

    /// <summary>The page's own policy, plus its frames from this site.</summary>
    private const string PagePolicy = SecurityModule.PagePolicy + "; frame-src 'self'";

    public static RouteGroupBuilder MapLessonPreviews(this RouteGroupBuilder admin)
    {
        admin.MapGet("/lessons", ShowAsync);
        admin.MapGet("/lessons/{email}.html", FramedHtmlAsync);
        admin.MapPost("/lessons/test", SendTestAsync);
        return admin;
    }

    private static async Task<IResult> ShowAsync(string? email, string? discreet, HttpContext context, IAntiforgery antiforgery, EmailSamples samples)
    {
        email ??= EmailSamples.Confirmation;
        if (!EmailSamples.IsName(email))
        {
            return AdminPage.Invalid("email", $"one of {string.Join(", ", EmailSamples.Names)}");
        }
        if (!TryReadSwitch(discreet, absent: false, out var isDiscreet))
        {
            return AdminPage.Invalid("discreet", "on or off");
        }
        context.Response.Headers.ContentSecurityPolicy = PagePolicy;
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new RazorComponentResult<AdminLessonsPage>(new Dictionary<string, object?>
        {
            [nameof(AdminLessonsPage.Sample)] = await samples.RenderAsync(email, isDiscreet),
            [nameof(AdminLessonsPage.AdminEmail)] = context.User.Identity?.Name,
            [nameof(AdminLessonsPage.AntiforgeryField)] = tokens.FormFieldName,
            [nameof(AdminLessonsPage.AntiforgeryToken)] = tokens.RequestToken,
        });
    }

    private static async Task<IResult> FramedHtmlAsync(string email, string? discreet, HttpContext context, EmailSamples samples)
    {
        if (!EmailSamples.IsName(email) || !TryReadSwitch(discreet, absent: false, out var isDiscreet))
        {
            return TypedResults.NotFound();
        }
        var sample = await samples.RenderAsync(email, isDiscreet);
        context.Response.Headers.ContentSecurityPolicy = FramedEmailPolicy;
        // Framed by the lessons page only; the CSP says so too, for browsers that read just one of the two.
        context.Response.Headers.XFrameOptions = "SAMEORIGIN";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Content(sample.Html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> SendTestAsync(HttpContext context, IAntiforgery antiforgery, EmailSamples samples, IMailTransport transport, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (await AdminForm.ReadAsync(context, antiforgery, cancellationToken) is not { } form)
        {
            return AdminForm.StaleToken();
        }
        var email = form["email"].ToString();
        if (!EmailSamples.IsName(email))
        {
            return AdminPage.Invalid("email", $"one of {string.Join(", ", EmailSamples.Names)}");
        }
        if (!TryReadSwitch(form["discreet"].ToString(), absent: null, out var discreet))
        {
            return AdminPage.Invalid("discreet", "on or off");
        }
        if (!MailboxAddress.TryParse(context.User.Identity?.Name, out var admin))
        {
            return AdminPage.Invalid("admin", "the signed-in account has no address to send to");
        }
        var message = await samples.TestMessageAsync(email, discreet, admin.Address);
        var logger = loggers.CreateLogger(typeof(LessonPreviewEndpoints));
        var back = new BackLink($"/admin/lessons?email={email}&discreet={(discreet ? "on" : "off")}", "Back to this email's preview");
        try
        {
            await using var session = await transport.OpenSessionForAdminAsync(cancellationToken);
            await session.SendAsync(message, cancellationToken);
        }
        catch (DeliveryException e)
        {
            AuditTestSent(logger, admin.Address, email, discreet, accepted: false);
            return AdminPage.Message("Not sent", "The test was not sent", [$"The mail server answered: {e.Failure.Message}"], back, StatusCodes.Status502BadGateway);
        }
        AuditTestSent(logger, admin.Address, email, discreet, accepted: true);
        return AdminPage.Message("Test sent", "Test sent",
            [$"{EmailSamples.Label(email)} ({(discreet ? "discreet" : "normal")}) went to {admin.Address}, its subject starting with [Test]."], back);
    }

    /// <summary>The one place a test send is put on record; the admin audit log writes its entry here.</summary>
    private static void AuditTestSent(ILogger logger, string admin, string email, bool discreet, bool accepted) =>
        logger.LogInformation("Admin {Admin} sent a test of {Email} (discreet {Discreet}) to themselves: {Outcome}", admin, email, discreet, accepted ? "accepted" : "refused");

    /// <summary>"on" or "off"; <paramref name="absent"/> is what no value means (null: a value is required).</summary>
    private static bool TryReadSwitch(string? value, bool? absent, out bool on)
    {
        on = absent ?? false;
        switch (value)
        {
            case "on":
                on = true;
                return true;
            case "off":
                on = false;
                return true;
            case null or "":
                return absent is not null;
            default:
                return false;
        }
    }
}
