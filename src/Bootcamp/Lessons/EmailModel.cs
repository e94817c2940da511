namespace Bootcamp.Lessons;

/// <summary>
/// What every email template sees. Templates set <see cref="Subject"/> and <see cref="Preheader"/>
/// themselves, so each email's words (normal and discreet) live in one file.
/// </summary>
public abstract class EmailModel
{
    /// <summary>The reader's first name, or null when they gave none (templates choose a gentle default).</summary>
    public string? FirstName { get; init; }

    /// <summary>Discreet reader: no topic words in anything an inbox shows (subject, preheader, sender).</summary>
    public bool Discreet { get; init; }

    /// <summary>Display name of the sender (Campaign:From or Campaign:DiscreetFrom).</summary>
    public required string SenderName { get; init; }

    /// <summary>Campaign:PostalAddress, printed in every footer; may be empty in development.</summary>
    public required string PostalAddress { get; init; }

    /// <summary>Campaign:PublicBaseUrl without a trailing slash.</summary>
    public required string BaseUrl { get; init; }

    /// <summary>Set by the template while rendering.</summary>
    public string Subject { get; set; } = string.Empty;

    /// <summary>Set by the template while rendering: the inbox's preview line.</summary>
    public string Preheader { get; set; } = string.Empty;
}
