using System.Security.Claims;
using Bootcamp.Admin.Overview;
using Bootcamp.Courses;
using Bootcamp.Pages;
using Bootcamp.Persistence;
using Hangfire.Dashboard;
using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Bootcamp.Admin;

public static class AdminModule
{
    public const string Policy = "admin";
    private const string Role = "admin";

    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        builder.Services.AddSingleton<IPasswordHasher<AdminAccount>, PasswordHasher<AdminAccount>>();
        builder.Services.AddScoped<AdminAccounts>();
        builder.Services.AddScoped<DashboardQueries>();
        builder.Services.AddScoped<Overview.OverviewQueries>();
        builder.Services.AddScoped<EnrollmentList>();
        builder.Services.AddScoped<EnrollmentViewQuery>();
                builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "bootcamp.admin";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the site is served over https; plain http only on a developer's loopback.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.Path = "/admin";
                o.LoginPath = "/admin/login";
                o.LogoutPath = "/admin/logout";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
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
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.RequireAuthenticatedUser().RequireRole(Role));
        return builder;
    }

    /// <summary>Nothing under /admin is kept by a browser or a proxy: figures, people and Hangfire's pages alike.</summary>
    public static IApplicationBuilder UseAdminNoStore(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/admin"))
        {
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
        var area = app.MapGroup("/admin").ExcludeFromDescription();
        area.MapGet("/login", LoginPage);
        area.MapPost("/login", LoginAsync);
        area.MapPost("/logout", (Func<HttpContext, Task<IResult>>)LogoutAsync).RequireAuthorization(Policy);

        var admin = area.MapGroup("").RequireAuthorization(Policy);
        admin.MapOverview();
        admin.MapGet("/api/stats", async (DashboardQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.StatsAsync(ct)));
        admin.MapGet("/api/enrollments", FindEnrollmentAsync);
        admin.MapDelete("/api/enrollments", EraseAsync);
        admin.MapEnrollmentList();
        admin.MapEnrollmentDetail();

        app.MapHangfireDashboard("/admin/jobs", new DashboardOptions
        {
            AppPath = "/admin",
            DashboardTitle = "Bootcamp jobs",
            Authorization = [new AdminOnlyDashboardFilter()],
            AsyncAuthorization = [],
        }).RequireAuthorization(Policy);
        return app;
    }

    private static RazorComponentResult LoginPage(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        RenderLogin(context, antiforgery, null, null, returnUrl, StatusCodes.Status200OK);

    private static RazorComponentResult RenderLogin(HttpContext context, IAntiforgery antiforgery, string? email, string? error, string? returnUrl, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Headers.CacheControl = "no-store";
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

    private static async Task<IResult> LoginAsync([FromForm] LoginForm form, HttpContext context, IAntiforgery antiforgery, AdminAccounts accounts, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
        {
            return RenderLogin(context, antiforgery, form.Email, "Enter your email and password.", form.ReturnUrl, StatusCodes.Status400BadRequest);
        }
        switch (await accounts.SignInAsync(form.Email, form.Password, cancellationToken))
        {
            case SignInResult.Success:
                var identity = new ClaimsIdentity(
                    [new Claim(ClaimTypes.Name, form.Email.Trim().ToLowerInvariant()), new Claim(ClaimTypes.Role, Role)],
                    CookieAuthenticationDefaults.AuthenticationScheme);
                await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                // Only local admin paths: never an open redirect.
                var target = form.ReturnUrl is { } url && url.StartsWith("/admin", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) ? url : "/admin";
                return Page.SeeOther(target);
            case SignInResult.LockedOut:
                return RenderLogin(context, antiforgery, form.Email, "Too many failed attempts. This account is locked for a while; try again later.", form.ReturnUrl, StatusCodes.Status429TooManyRequests);
            default:
                return RenderLogin(context, antiforgery, form.Email, "That email and password don't match.", form.ReturnUrl, StatusCodes.Status401Unauthorized);
        }
    }

    private static async Task<IResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Page.SeeOther("/admin/login");
    }

    private static async Task<IResult> FindEnrollmentAsync(string? email, DashboardQueries queries, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Give the address to look up: ?email=…"] });
        }
        var found = await queries.FindAsync(email, cancellationToken);
        return found is null ? TypedResults.NotFound() : TypedResults.Ok(found);
    }

    /// <summary>The cookie is SameSite=Strict, so another site cannot make an admin's browser send this.</summary>
    private static async Task<IResult> EraseAsync(string? email, CourseRecord record, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Give the address to erase: ?email=…"] });
        }
        var erased = await record.EraseAsync(email, cancellationToken);
        return erased == 0 ? TypedResults.NotFound() : TypedResults.Ok(new { erased });
    }

    public sealed class LoginForm
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
        public string? ReturnUrl { get; set; }
    }

    /// <summary>Hangfire's own check, behind the endpoint policy: both must agree the caller is an admin.</summary>
    private sealed class AdminOnlyDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Role);
    }
}
