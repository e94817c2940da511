using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Bootcamp.Domain;

/// <summary>Text from outside (SMTP replies, bounce reports) made fit for a log line: servers quote the recipient.</summary>
public static partial class Redaction
{
    public const string Address = "<address>";

    /// <summary>Every <c>local@domain</c> in the text replaced by a placeholder.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Addresses(string? text) => string.IsNullOrEmpty(text) ? text : AddressPattern().Replace(text, Address);

    [GeneratedRegex(@"[^\s<>""'(),;:@\[\]]+@[^\s<>""'(),;:@\[\]]+", RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();
}
