using System.Text.Json;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Bootcamp.Pages;
using Bootcamp.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Bootcamp.Enrollment;

public static class EnrollmentModule
{
    public static IHostApplicationBuilder AddEnrollment(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<SignupBudget>();
        builder.Services.AddScoped<EnrollmentService>();
        builder.Services.AddScoped<ConfirmationJob>();
        builder.Services.AddScoped<ConfirmationStore>();
        builder.Services.AddSingleton<ConfirmationQueue>();
        builder.Services.AddHostedService<ConfirmationDispatcher>();
        builder.Services.AddSingleton<IDateTimeZoneProvider>(DateTimeZoneProviders.Tzdb);
        return builder;
    }

    public static IEndpointRouteBuilder MapEnrollment(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", SignupPage).ProducesPage(StatusCodes.Status200OK);
        app.MapPost("/signup", SignupFormAsync).RequireRateLimiting(ClientRateLimits.Signup)
            .DescribesBody<SignupForm>("application/x-www-form-urlencoded", "multipart/form-data")
            .Produces(StatusCodes.Status303SeeOther).ProducesPage(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status429TooManyRequests);
        app.MapGet("/signup/check-inbox", CheckInbox).ProducesPage(StatusCodes.Status200OK);
        app.MapPost("/api/enrollments", SignupApiAsync).RequireRateLimiting(ClientRateLimits.Signup).DisableAntiforgery()
            .DescribesBody<SignupRequest>("application/json")
            .Produces<SignupAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        // The token is the secret; the page is reached from an email, so there is no form cookie to check.
        app.MapGet("/confirm/{token}", ConfirmPage).RequireRateLimiting(ClientRateLimits.Token).ProducesTokenPage();
        app.MapPost("/confirm/{token}", ConfirmAsync).DisableAntiforgery().RequireRateLimiting(ClientRateLimits.Token).ProducesTokenPage();
        app.MapGet("/u/{token}", UnsubscribePage).RequireRateLimiting(ClientRateLimits.Token).ProducesTokenPage();
        app.MapPost("/u/{token}", UnsubscribeAsync).DisableAntiforgery().RequireRateLimiting(ClientRateLimits.Token).ProducesTokenPage();
        return app;
    }

    private static RazorComponentResult SignupPage(HttpContext context, IAntiforgery antiforgery, IOptions<CampaignOptions> campaign) =>
        campaign.Value.IsDiscreetHost(context.Request.Host)
            // The discreet host's home page, which a reader's shared device may show: it names nothing.
            ? Page.Message("Daily notes", "Daily notes",
                ["This address sends short daily emails to people who asked for them. The links in those emails open here.",
                 "There is nothing else to see."])
            : RenderSignup(context, antiforgery, campaign.Value, new SignupForm(), new Dictionary<string, string[]>(), StatusCodes.Status200OK);

    private static RazorComponentResult RenderSignup(HttpContext context, IAntiforgery antiforgery, CampaignOptions campaign, SignupForm form, Dictionary<string, string[]> errors, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new RazorComponentResult<SignupPage>(new Dictionary<string, object?>
        {
            [nameof(Pages.SignupPage.Email)] = form.Email,
            [nameof(Pages.SignupPage.FirstName)] = form.FirstName,
            [nameof(Pages.SignupPage.TimeZone)] = form.TimeZone,
            [nameof(Pages.SignupPage.Discreet)] = SignupForm.IsTicked(form.Discreet),
            [nameof(Pages.SignupPage.Tracking)] = SignupForm.IsTicked(form.Tracking),
            [nameof(Pages.SignupPage.Stage)] = form.Stage,
            [nameof(Pages.SignupPage.Errors)] = errors,
            [nameof(Pages.SignupPage.AntiforgeryField)] = tokens.FormFieldName,
            [nameof(Pages.SignupPage.AntiforgeryToken)] = tokens.RequestToken,
            [nameof(Pages.SignupPage.ConsentVersion)] = campaign.ConsentVersion,
        })
        { StatusCode = status };
    }

    /// <summary>
    /// The form is read and its antiforgery token checked by hand, not bound: a stale page, a lost cookie or a
    /// body that is no form gets the page again naming what to do (400), never a bare 400 or 415.
    /// </summary>
    private static async Task<IResult> SignupFormAsync(HttpContext context, IAntiforgery antiforgery, IOptions<CampaignOptions> campaign,
        IDateTimeZoneProvider zones, EnrollmentService enrollments, CancellationToken cancellationToken)
    {
        // The form is read first: the antiforgery check then finds it read, whatever the body held.
        var form = await SignupForm.ReadAsync(context.Request, cancellationToken);
        if (form is null || !await antiforgery.IsRequestValidAsync(context))
        {
            return RenderSignup(context, antiforgery, campaign.Value, form ?? new SignupForm(),
                new Dictionary<string, string[]> { ["email"] = ["This page had expired. Please check your details and press the button again."] }, StatusCodes.Status400BadRequest);
        }
        if (!string.IsNullOrEmpty(form.Website))
        {
            // A bot: answer as if it worked, do nothing.
            return Page.SeeOther("/signup/check-inbox");
        }
        var input = new SignupInput(form.Email, form.FirstName, form.TimeZone, SignupForm.IsTicked(form.Discreet), NoTracking: !SignupForm.IsTicked(form.Tracking), form.Stage);
        var errors = SignupValidator.Validate(input, zones, out var signup);
        if (signup is null)
        {
            return RenderSignup(context, antiforgery, campaign.Value, form, errors, StatusCodes.Status400BadRequest);
        }
        await enrollments.SignUpAsync(signup, "web", cancellationToken);
        return Page.SeeOther("/signup/check-inbox");
    }

    private static RazorComponentResult CheckInbox() => Page.Message(
        "Check your inbox", "Check your inbox",
        ["We've sent you an email with one button to start the course. It can take a few minutes to arrive; look in spam or promotions too.",
         "If nothing arrives within an hour, you can sign up again."]);

    private static async Task<IResult> SignupApiAsync(HttpRequest request, IDateTimeZoneProvider zones, EnrollmentService enrollments, CancellationToken cancellationToken)
    {
        SignupRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<SignupRequest>(cancellationToken);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : JsonField(e.Path);
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = ["This value could not be read as JSON of the expected type."] });
        }
        catch (InvalidOperationException)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send a JSON object with Content-Type: application/json."] });
        }
        if (body is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send a JSON object with email and timeZone."] });
        }
        var errors = SignupValidator.Validate(new SignupInput(body.Email, body.FirstName, body.TimeZone, body.Discreet, NoTracking: !body.Tracking, body.Stage), zones, out var signup);
        if (signup is null)
        {
            return TypedResults.ValidationProblem(errors);
        }
        await enrollments.SignUpAsync(signup, "api", cancellationToken);
        // The same answer for new, pending, active, unsubscribed, suppressed and over-budget addresses.
        return TypedResults.Accepted((string?)null, SignupAccepted.Instance);
    }

    private static string JsonField(string path)
    {
        // "$.timeZone" or "$['first name']" → the property name the caller sent.
        var name = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var end = name.IndexOfAny(['.', '[']);
        return end > 0 ? name[..end] : name.Trim('[', ']', '\'');
    }

    private static RazorComponentResult ConfirmPage(string token, HttpContext context, LinkTokens tokens)
    {
        Page.ProtectToken(context);
        if (!tokens.TryRead(TokenPurpose.Confirm, token, out _, out _))
        {
            return Page.NotFound();
        }
        return Page.Message("Confirm your sign-up", "One click to start",
            ["Press the button to confirm your address. Your first lesson arrives right away, then one each morning for six more days."],
            "Yes, start the course");
    }

    private static async Task<RazorComponentResult> ConfirmAsync(string token, HttpContext context, LinkTokens tokens, EnrollmentService enrollments, CancellationToken cancellationToken)
    {
        Page.ProtectToken(context);
        if (!tokens.TryRead(TokenPurpose.Confirm, token, out var enrollmentId, out _))
        {
            return Page.NotFound();
        }
        return await enrollments.ConfirmAsync(enrollmentId, cancellationToken) switch
        {
            ConfirmOutcome.Confirmed => Page.Message("You're in", "You're in",
                ["Your first lesson is on its way to your inbox now. The next ones arrive each morning.",
                 "Be gentle with yourself today."]),
            ConfirmOutcome.AlreadyConfirmed => Page.Message("Already confirmed", "You're already in",
                ["This address is already confirmed; your lessons are on their way."]),
            _ => Page.NotFound(),
        };
    }

    private static RazorComponentResult UnsubscribePage(string token, HttpContext context, LinkTokens tokens)
    {
        Page.ProtectToken(context);
        if (!tokens.TryRead(TokenPurpose.Unsubscribe, token, out _, out _))
        {
            return Page.NotFound();
        }
        return Page.Message("Unsubscribe", "Stop these emails?",
            ["Press the button and no more lessons will be sent to you. Nothing else happens."],
            "Unsubscribe");
    }

    /// <summary>Also the RFC 8058 one-click target: no cookies, no antiforgery, any form body, 200 and never a redirect.</summary>
    private static async Task<RazorComponentResult> UnsubscribeAsync(string token, HttpContext context, LinkTokens tokens, EnrollmentService enrollments, CancellationToken cancellationToken)
    {
        Page.ProtectToken(context);
        if (!tokens.TryRead(TokenPurpose.Unsubscribe, token, out var enrollmentId, out _)
            || !await enrollments.UnsubscribeAsync(enrollmentId, cancellationToken))
        {
            return Page.NotFound();
        }
        return Page.Message("Unsubscribed", "You're unsubscribed",
            ["No more lessons will be sent to this address. If you ever want the course again, you can sign up again."]);
    }
}
