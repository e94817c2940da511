namespace Bootcamp.Admin.Accounts;

/// <summary>What an admin may do: viewers see aggregates and masked lists; operators also reveal, act, export and manage admins.</summary>
public static class AdminRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";

    public static readonly string[] All = [Viewer, Operator];

    /// <summary>The role named (any case), or null when it is none of <see cref="All"/>.</summary>
    public static string? Parse(string? value) =>
        All.FirstOrDefault(r => string.Equals(r, value?.Trim(), StringComparison.OrdinalIgnoreCase));
}
