using System.Globalization;
using Bootcamp.Admin.Audit;
using Bootcamp.Domain;
using Bootcamp.Pages;
using Bootcamp.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bootcamp.Admin.Accounts;

/// <summary>
/// GET /admin/account and POST /admin/account/password: any admin changes their own password (the current one
/// required). GET and POST /admin/admins: operators add admins, change their roles and remove them. Every
/// change is in the audit log; the last operator can be neither removed nor demoted.
/// </summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder admin)
    {
        admin.MapGet("/account", ShowAccount);
        admin.MapPost("/account/password", ChangePasswordAsync).WithMetadata(new AnyAdminMayPost());
        admin.MapGet("/admins", ListAsync).RequireAuthorization(AdminPolicies.Operator);
        admin.MapPost("/admins", ManageAsync).RequireAuthorization(AdminPolicies.Operator);
        return admin;
    }

    private static RazorComponentResult ShowAccount(HttpContext context, IAntiforgery antiforgery, string? done)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new RazorComponentResult<AdminAccountPage>(new Dictionary<string, object?>
        {
            [nameof(AdminAccountPage.Email)] = context.User.Email(),
            [nameof(AdminAccountPage.Role)] = context.User.IsOperator() ? AdminRoles.Operator : AdminRoles.Viewer,
            [nameof(AdminAccountPage.Changed)] = done == "password",
            [nameof(AdminAccountPage.AntiforgeryField)] = tokens.FormFieldName,
            [nameof(AdminAccountPage.AntiforgeryToken)] = tokens.RequestToken,
        });
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext context, AdminAccounts accounts, SignInLockout lockout, AdminAudit audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken);
        string current = form["current"].ToString(), next = form["password"].ToString(), confirm = form["confirm"].ToString();
        if (PasswordProblem(next) is { } problem)
        {
            return AdminPage.Invalid("password", problem, BackLink.ToAccount);
        }
        if (next != confirm)
        {
            return AdminPage.Invalid("confirm", "the two new passwords differ", BackLink.ToAccount);
        }
        // Guesses at the current password, from a session left open, count like failed sign-ins and meet the same lock-out.
        var (emailKey, client, now) = (AdminAccounts.KeyOf(context.User.Email()), ClientKey.Of(context.Connection.RemoteIpAddress), time.GetUtcNow().UtcDateTime);
        if (context.User.Id() is not { } id || await lockout.IsLockedAsync(emailKey, client, now, cancellationToken)
            || await accounts.ChangePasswordAsync(id, current, next, cancellationToken) is not { } account)
        {
            await lockout.RecordFailureAsync(emailKey, client, now, cancellationToken);
            await audit.RecordAsync(context, AuditActions.PasswordChanged, null, AuditOutcomes.Refused, "current password wrong", cancellationToken);
            return AdminPage.Invalid("current", "that is not your current password", BackLink.ToAccount);
        }
        await audit.RecordAsync(context, AuditActions.PasswordChanged, null, AuditOutcomes.Done, null, cancellationToken);
        // Every other session of this admin ended with the old stamp; this one goes on, still ending when it would have.
        var signedInAt = context.User.SignedInAt() ?? DateTimeOffset.UnixEpoch;
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AdminPrincipal.Create(account, signedInAt));
        return Page.SeeOther("/admin/account?done=password");
    }

    private static async Task<RazorComponentResult> ListAsync(HttpContext context, IAntiforgery antiforgery, AdminAccounts accounts, CancellationToken cancellationToken)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new RazorComponentResult<AdminAdminsPage>(new Dictionary<string, object?>
        {
            [nameof(AdminAdminsPage.Admins)] = await accounts.ListAsync(cancellationToken),
            [nameof(AdminAdminsPage.Self)] = context.User.Id(),
            [nameof(AdminAdminsPage.AntiforgeryField)] = tokens.FormFieldName,
            [nameof(AdminAdminsPage.AntiforgeryToken)] = tokens.RequestToken,
        });
    }

    private static async Task<IResult> ManageAsync(HttpContext context, AdminAccounts accounts, AdminAudit audit, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken);
        switch (form["action"].ToString())
        {
            case "add":
                if (!EmailAddress.TryNormalize(form["email"], out var email, out var error))
                {
                    return AdminPage.Invalid("email", error, BackLink.ToAdmins);
                }
                if (AdminRoles.Parse(form["role"]) is not { } role)
                {
                    return AdminPage.Invalid("role", $"one of {string.Join(", ", AdminRoles.All)}", BackLink.ToAdmins);
                }
                if (PasswordProblem(form["password"].ToString()) is { } problem)
                {
                    return AdminPage.Invalid("password", problem, BackLink.ToAdmins);
                }
                if ((await accounts.ListAsync(cancellationToken)).Any(a => a.Email == AdminAccounts.KeyOf(email)))
                {
                    return AdminPage.Message("Admins", "Already an admin", [$"{email} is an admin already; change the role in the list instead."], BackLink.ToAdmins,
                        StatusCodes.Status409Conflict);
                }
                await accounts.SetAsync(email, form["password"].ToString(), role, cancellationToken);
                await audit.RecordAsync(context, AuditActions.AdminAdded, null, AuditOutcomes.Done, $"{AdminAccounts.KeyOf(email)} as {role}", cancellationToken);
                return Page.SeeOther("/admin/admins");
            case "role":
                if (Id(form["id"]) is not { } roleOf || await accounts.FindAsync(roleOf, cancellationToken) is not { } target)
                {
                    return AdminPage.Invalid("id", "the id of an admin in the list", BackLink.ToAdmins);
                }
                if (AdminRoles.Parse(form["role"]) is not { } newRole)
                {
                    return AdminPage.Invalid("role", $"one of {string.Join(", ", AdminRoles.All)}", BackLink.ToAdmins);
                }
                if (newRole != AdminRoles.Operator && target.Role == AdminRoles.Operator && !await accounts.AnotherOperatorExistsAsync(target.Id, cancellationToken))
                {
                    return LastOperator(target.Email);
                }
                await accounts.SetRoleAsync(target.Id, newRole, cancellationToken);
                await audit.RecordAsync(context, AuditActions.RoleChanged, null, AuditOutcomes.Done, $"{target.Email}: {target.Role} to {newRole}", cancellationToken);
                return Page.SeeOther("/admin/admins");
            case "remove":
                if (Id(form["id"]) is not { } removed || await accounts.FindAsync(removed, cancellationToken) is not { } gone)
                {
                    return AdminPage.Invalid("id", "the id of an admin in the list", BackLink.ToAdmins);
                }
                if (gone.Id == context.User.Id())
                {
                    return AdminPage.Invalid("id", "you cannot remove yourself; another operator can", BackLink.ToAdmins);
                }
                if (gone.Role == AdminRoles.Operator && !await accounts.AnotherOperatorExistsAsync(gone.Id, cancellationToken))
                {
                    return LastOperator(gone.Email);
                }
                await accounts.RemoveAsync(gone.Id, cancellationToken);
                await audit.RecordAsync(context, AuditActions.AdminRemoved, null, AuditOutcomes.Done, gone.Email, cancellationToken);
                return Page.SeeOther("/admin/admins");
            default:
                return AdminPage.Invalid("action", "one of add, role, remove", BackLink.ToAdmins);
        }
    }

    /// <summary>Null when <paramref name="password"/> will do; else what is wrong with it.</summary>
    public static string? PasswordProblem(string? password) =>
        string.IsNullOrEmpty(password) ? "a password is required"
        : password.Length < AdminOptionsValidator.MinPasswordLength ? $"at least {AdminOptionsValidator.MinPasswordLength} characters"
        : password.Any(char.IsControl) ? "no control characters"
        : null;

    private static long? Id(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    private static RazorComponentResult LastOperator(string email) =>
        AdminPage.Message("Admins", "The last operator stays", [$"{email} is the only operator: make another admin an operator first."], BackLink.ToAdmins,
            StatusCodes.Status409Conflict);
}
