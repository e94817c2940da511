namespace Bootcamp.Bounces;

/// <summary>
/// One recipient's status group of a DSN (RFC 3464), or one ARF report (RFC 5965).
/// <paramref name="Action"/> is the DSN's Action or the report's Feedback-Type, lower-cased.
/// </summary>
public sealed record BounceFinding(BounceKind Kind, string? Recipient, string? Action, string? Status, string? DiagnosticCode)
{
    public override string ToString() =>
        string.Join(' ', new[] { Kind.ToString(), Action, Status, Recipient, DiagnosticCode }.Where(p => !string.IsNullOrEmpty(p)));
}
