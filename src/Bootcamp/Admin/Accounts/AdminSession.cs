using System.Security.Claims;
using Bootcamp.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bootcamp.Admin.Accounts;

/// <summary>
/// Every request's session is checked against the database: a removed admin, or one whose password changed
/// elsewhere, is signed out at their next request on every process; a changed role applies at once; and no
/// session outlives <see cref="AdminOptions.SessionLifetime"/> from its sign-in, however busy.
/// </summary>
public static class AdminSession
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal;
        var services = context.HttpContext.RequestServices;
        var lifetime = services.GetRequiredService<IOptions<AdminOptions>>().Value.SessionLifetime;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (user?.Id() is not { } id || user.SignedInAt() is not { } signedInAt || now >= signedInAt + lifetime)
        {
            await RejectAsync(context);
            return;
        }
        var db = services.GetRequiredService<BootcampDb>();
        var account = await db.Admins.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.Email, a.Role, a.SecurityStamp })
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        if (account is null || account.SecurityStamp != user.FindFirstValue(AdminPrincipal.StampClaim))
        {
            await RejectAsync(context);
            return;
        }
        if (!user.IsInRole(account.Role) || user.Email() != account.Email)
        {
            // For this request; the cookie keeps its old claims and every later request reads the role again.
            context.ReplacePrincipal(AdminPrincipal.Create(id, account.Email, account.Role, account.SecurityStamp, signedInAt));
        }
    }

    /// <summary>Sliding renewal stops where a renewed cookie would outlive the session's absolute end.</summary>
    public static Task CheckSlidingExpiration(CookieSlidingExpirationContext context)
    {
        var lifetime = context.HttpContext.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.SessionLifetime;
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (context.Principal?.SignedInAt() is not { } signedInAt || now + context.Options.ExpireTimeSpan > signedInAt + lifetime)
        {
            context.ShouldRenew = false;
        }
        return Task.CompletedTask;
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
