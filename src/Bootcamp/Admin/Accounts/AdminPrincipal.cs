using System.Globalization;
using System.Security.Claims;
using Bootcamp.Persistence;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Bootcamp.Admin.Accounts;

/// <summary>What an admin's session cookie says: who, in which role, with which security stamp, signed in when.</summary>
public static class AdminPrincipal
{
    public const string StampClaim = "bootcamp:stamp";
    public const string SignedInAtClaim = "bootcamp:signed_in_at";

    public static ClaimsPrincipal Create(long id, string email, string role, string stamp, DateTimeOffset signedInAt) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, id.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, email),
            new Claim(ClaimTypes.Role, role),
            new Claim(StampClaim, stamp),
            new Claim(SignedInAtClaim, signedInAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ], CookieAuthenticationDefaults.AuthenticationScheme));

    public static ClaimsPrincipal Create(AdminAccount account, DateTimeOffset signedInAt) =>
        Create(account.Id, account.Email, account.Role, account.SecurityStamp, signedInAt);

    public static long? Id(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static string Email(this ClaimsPrincipal user) => user.Identity?.Name ?? "";

    public static bool IsOperator(this ClaimsPrincipal user) => user.IsInRole(AdminRoles.Operator);

    public static DateTimeOffset? SignedInAt(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(SignedInAtClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
