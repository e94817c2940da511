using Bootcamp.Admin.Accounts;
using Bootcamp.Admin.Audit;
using Bootcamp.Admin.Overview;
using Bootcamp.Courses;
using Bootcamp.Pages;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Hangfire.Dashboard;
using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Bootcamp.Admin;

public static class AdminModule
{
    /// <summary>Any signed-in admin (see <see cref="AdminPolicies.Admin"/>).</summary>
    public const string Policy = AdminPolicies.Admin;

    /// <summary>Every failure answers this, with the same status: unknown address, locked out, wrong password.</summary>
    private const string SignInFailed = "That email and password don't match, or this place is locked out for a while after too many tries. Try again later.";

    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        builder.Services.AddSingleton<IPasswordHasher<AdminAccount>, PasswordHasher<AdminAccount>>();
        builder.Services.AddScoped<AdminAccounts>();
        builder.Services.AddScoped<SignInLockout>();
        builder.Services.AddScoped<AdminAudit>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<DashboardQueries>();
        builder.Services.AddScoped<Overview.OverviewQueries>();
        builder.Services.AddScoped<EnrollmentList>();
        builder.Services.AddScoped<EnrollmentViewQuery>();
        builder.Services.AddScoped<PersonExport>();
        builder.Services.AddSingleton<EmailSamples>();
        builder.AddSignInRateLimits();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "bootcamp.admin";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request came over https, directly or through a trusted proxy (UseProxyForwarding
                // runs first); plain http only on a developer's loopback.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.Path = "/admin";
                o.LoginPath = "/admin/login";
                o.LogoutPath = "/admin/logout";
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = AdminSession.ValidateAsync;
                o.Events.OnCheckSlidingExpiration = AdminSession.CheckSlidingExpiration;
                o.Events.OnRedirectToLogin = context =>
                {
                    // Programs calling the JSON API get a status, people get the sign-in page.
                    if (context.Request.Path.StartsWithSegments("/admin/api"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return Task.CompletedTask;
                    }
                    context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
                // A viewer asking for an operator's page or action: a plain refusal, not a redirect.
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AdminOptions>>((o, admin) => o.ExpireTimeSpan = admin.Value.IdleTimeout < admin.Value.SessionLifetime ? admin.Value.IdleTimeout : admin.Value.SessionLifetime);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(AdminRoles.All).RequireAssertion(ReadsOrMayAct))
            .AddPolicy(AdminPolicies.Operator, p => p.RequireAuthenticatedUser().RequireRole(AdminRoles.Operator));
        return builder;
    }

    /// <summary>
    /// Set before any handler under /admin runs: a page with a form gets antiforgery tokens, and antiforgery rewrites
    /// any caching header without "no-cache" (and logs a warning for each page); the answer says "no-store" in the end.
    /// </summary>
    private const string DoNotStore = "no-cache, no-store";

    /// <summary>Nothing under /admin is kept by a browser or a proxy: figures, people and Hangfire's pages alike.</summary>
    public static IApplicationBuilder UseAdminNoStore(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/admin"))
        {
            context.Response.Headers.CacheControl = DoNotStore;
            // At the last moment, so a handler's own caching header (Hangfire's scripts) does not win.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.Remove("Expires");
                context.Response.Headers.Remove("ETag");
                context.Response.Headers.Remove("Last-Modified");
                return Task.CompletedTask;
            });
        }
        return next(context);
    });

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        // The API document is about the public surface: nothing under /admin is in it.
        var area = app.MapGroup("/admin").ExcludeFromDescription().RequireAntiforgeryOnChanges();
        area.MapGet("/login", LoginPage);
        // The area's own check (RequireAntiforgeryOnChanges) answers a stale sign-in form with a page in the admin
        // layout; the framework's, which [FromForm] binding would run first, answers with a problem document.
        area.MapPost("/login", LoginAsync).DisableAntiforgery();
        area.MapPost("/logout", (Func<HttpContext, AdminAudit, CancellationToken, Task<IResult>>)LogoutAsync).RequireAuthorization(Policy).WithMetadata(new AnyAdminMayPost());

        var admin = area.MapGroup("").RequireAuthorization(Policy);
        admin.MapOverview();
        admin.MapGet("/api/stats", async (DashboardQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.StatsAsync(ct)));
        admin.MapGet("/api/antiforgery", AntiforgeryToken);
        admin.MapGet("/api/enrollments", FindEnrollmentAsync).RequireAuthorization(AdminPolicies.Operator);
        admin.MapDelete("/api/enrollments", EraseAsync).RequireAuthorization(AdminPolicies.Operator);
        admin.MapEnrollmentList();
        admin.MapEnrollmentDetail();
        admin.MapLessonPreviews();
        admin.MapAccounts();
        admin.MapAudit();

        app.MapHangfireDashboard("/admin/jobs", new DashboardOptions
        {
            AppPath = "/admin",
            DashboardTitle = "Bootcamp jobs",
            Authorization = [new OperatorOnlyDashboardFilter()],
            AsyncAuthorization = [],
        }).RequireAuthorization(AdminPolicies.Operator);
        return app;
    }

    /// <summary>Reading is for every admin; changing needs an operator, unless the endpoint says any admin may (<see cref="AnyAdminMayPost"/>).</summary>
    private static bool ReadsOrMayAct(AuthorizationHandlerContext context)
    {
        if (context.User.IsOperator())
        {
            return true;
        }
        return context.Resource is HttpContext http
            && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
                || http.GetEndpoint()?.Metadata.GetMetadata<AnyAdminMayPost>() is not null);
    }

    private static RazorComponentResult LoginPage(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        RenderLogin(context, antiforgery, null, null, returnUrl, StatusCodes.Status200OK);

    private static RazorComponentResult RenderLogin(HttpContext context, IAntiforgery antiforgery, string? email, string? error, string? returnUrl, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new RazorComponentResult<LoginPage>(new Dictionary<string, object?>
        {
            [nameof(Pages.LoginPage.Email)] = email,
            [nameof(Pages.LoginPage.Error)] = error,
            [nameof(Pages.LoginPage.ReturnUrl)] = returnUrl,
            [nameof(Pages.LoginPage.AntiforgeryField)] = tokens.FormFieldName,
            [nameof(Pages.LoginPage.AntiforgeryToken)] = tokens.RequestToken,
        })
        { StatusCode = status };
    }

    private static async Task<IResult> LoginAsync([FromForm] LoginForm form, HttpContext context, IAntiforgery antiforgery, AdminAccounts accounts, AdminAudit audit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
        {
            return RenderLogin(context, antiforgery, form.Email, "Enter your email and password.", form.ReturnUrl, StatusCodes.Status400BadRequest);
        }
        var attempt = await accounts.SignInAsync(form.Email, form.Password, ClientKey.Of(context.Connection.RemoteIpAddress), cancellationToken);
        if (attempt.Account is not { } account)
        {
            // The address as typed, known or not: repeated guesses at one address show in the log.
            await audit.RecordAsync(null, AdminAccounts.KeyOf(form.Email), context, AuditActions.SignInFailed, null,
                attempt.LockedOut ? AuditOutcomes.Refused : AuditOutcomes.Failed, null, cancellationToken);
            return RenderLogin(context, antiforgery, form.Email, SignInFailed, form.ReturnUrl, StatusCodes.Status401Unauthorized);
        }
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AdminPrincipal.Create(account, time.GetUtcNow()));
        await audit.RecordAsync(account.Id, account.Email, context, AuditActions.SignIn, null, AuditOutcomes.Done, null, cancellationToken);
        // Only local admin paths: never an open redirect.
        var target = form.ReturnUrl is { } url && url.StartsWith("/admin", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) ? url : "/admin";
        return Page.SeeOther(target);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, AdminAudit audit, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(context, AuditActions.SignOut, null, AuditOutcomes.Done, null, cancellationToken);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Page.SeeOther("/admin/login");
    }

    /// <summary>For programs using the JSON API: the token to send in the header with a DELETE (the cookie comes with the answer).</summary>
    private static IResult AntiforgeryToken(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new { headerName = AdminAntiforgery.HeaderName(context), token = tokens.RequestToken });
    }

    private static async Task<IResult> FindEnrollmentAsync(string? email, HttpContext context, DashboardQueries queries, AdminAudit audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Give the address to look up: ?email=…"] });
        }
        var found = await queries.FindAsync(email, cancellationToken);
        await audit.RecordAsync(context, AuditActions.LookUp, null, found is null ? AuditOutcomes.NotFound : AuditOutcomes.Done, "through the API", cancellationToken);
        return found is null ? TypedResults.NotFound() : TypedResults.Ok(found);
    }

    /// <summary>Antiforgery in the header (AdminAntiforgery), and the cookie is SameSite=Strict besides.</summary>
    private static async Task<IResult> EraseAsync(string? email, HttpContext context, CourseRecord record, AdminAudit audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Give the address to erase: ?email=…"] });
        }
        var erased = 0;
        await audit.ActAsync(context, AuditActions.Erase, null, "through the API", async ct =>
        {
            erased = await record.EraseAsync(email, ct);
            return erased == 0 ? Change.NotFound : Change.Done;
        }, cancellationToken);
        return erased == 0 ? TypedResults.NotFound() : TypedResults.Ok(new { erased });
    }

    public sealed class LoginForm
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
        public string? ReturnUrl { get; set; }
    }

    /// <summary>Hangfire's own check, behind the endpoint policy: both must agree the caller is an operator (the dashboard deletes and retries jobs).</summary>
    private sealed class OperatorOnlyDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsOperator();
    }
}
