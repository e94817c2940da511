namespace Bootcamp.Lessons;

public sealed class ConfirmEmailModel : EmailModel
{
    /// <summary>{PublicBaseUrl}/confirm/{token}: a page with one button.</summary>
    public required string ConfirmUrl { get; init; }

    /// <summary>How long the link stays valid, in words ("2 days").</summary>
    public required string ExpiresIn { get; init; }
}
