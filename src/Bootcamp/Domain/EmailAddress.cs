using System.Diagnostics.CodeAnalysis;
using MimeKit;

namespace Bootcamp.Domain;

/// <summary>A single, bare mailbox address as a subscriber typed it, checked the way a mail header needs it.</summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        var trimmed = input?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            error = "An email address is required.";
            return false;
        }
        if (trimmed.Length > MaxLength)
        {
            error = $"An email address has at most {MaxLength} characters.";
            return false;
        }
        if (Text.HasControlCharacters(trimmed))
        {
            error = "The email address contains characters that are not allowed.";
            return false;
        }
        // A bare addr-spec only: "Name <a@b>" or a list would let one sign-up mail several people.
        if (!MailboxAddress.TryParse(trimmed, out var mailbox)
            || !string.IsNullOrEmpty(mailbox.Name)
            || mailbox.Route.Count > 0
            || !string.Equals(mailbox.Address, trimmed, StringComparison.Ordinal)
            || mailbox.Address.IndexOf('@') is <= 0 || mailbox.Address.EndsWith('@')
            || mailbox.Domain is not { } domain || !domain.Contains('.', StringComparison.Ordinal) && domain != "localhost")
        {
            error = "This is not a valid email address.";
            return false;
        }
        address = mailbox.Address;
        error = null;
        return true;
    }

    /// <summary>The key an address is looked up and suppressed by: case-insensitive, as mailbox providers treat it.</summary>
    public static string Key(string address) => address.Trim().ToLowerInvariant();
}
