namespace Bootcamp.Admin.Audit;

/// <summary>The names audit entries use for what was done; the page's filter and the CSV show them as they are.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string SignOut = "sign-out";
    public const string ViewEnrollment = "view";
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Resend = "resend";
    public const string Unsubscribe = "unsubscribe";
    public const string Erase = "erase";
    public const string ExportJson = "export-json";
    public const string ExportCsv = "export-csv";
    public const string LookUp = "look-up";
    public const string AdminAdded = "admin-added";
    public const string AdminRemoved = "admin-removed";
    public const string RoleChanged = "role-changed";
    public const string PasswordChanged = "password-changed";
    public const string AuditExported = "audit-export";
}

/// <summary>What came of an audited action.</summary>
public static class AuditOutcomes
{
    public const string Done = "done";
    public const string Already = "already";
    public const string NotAllowed = "not-allowed";
    public const string NotFound = "not-found";
    public const string Failed = "failed";
    public const string Refused = "refused";
}
