namespace Bootcamp.Admin.Accounts;

/// <summary>Authorization policies of the admin area.</summary>
public static class AdminPolicies
{
    /// <summary>
    /// Any signed-in admin, on reading requests. A POST, PUT, PATCH or DELETE under it needs an operator unless the
    /// endpoint carries <see cref="AnyAdminMayPost"/>: an action added later is refused to viewers without anyone
    /// remembering to say so.
    /// </summary>
    public const string Admin = "admin";

    /// <summary>Operators only: revealing addresses, exports, the audit log, managing admins, the job dashboard.</summary>
    public const string Operator = "operator";
}

/// <summary>Endpoint metadata: a viewer may send this unsafe request too (signing out, changing their own password).</summary>
public sealed class AnyAdminMayPost;
