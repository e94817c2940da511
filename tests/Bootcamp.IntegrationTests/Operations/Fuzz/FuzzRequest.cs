using System.Text;

namespace Bootcamp.IntegrationTests.Operations.Fuzz;

/// <summary>
/// One generated request. Printed in full enough to replay it by hand: method, path, content type and the
/// start of the body. <see cref="Email"/> is the address it carries, if any, for the check that nothing refused was stored.
/// </summary>
public sealed record FuzzRequest(ApiOperation Operation, string Method, string PathAndQuery, string? ContentType, byte[] Body, string? Email, bool WithFormCookie, bool WrongMethod)
{
    private const int ShownBodyChars = 400;

    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Body);
        var shown = text.Length > ShownBodyChars ? text[..ShownBodyChars] + $"… ({Body.Length} bytes)" : text;
        return $"{Method} {PathAndQuery} (operation {Operation}) Content-Type: {ContentType ?? "none"}{(WithFormCookie ? " +antiforgery cookie" : "")} body: {Escape(shown)}";
    }

    /// <summary>Control characters and invisible marks as \uXXXX, so the message shows what was sent.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u200B' or '\u200D' or '\u200E' or '\u200F' or '\u202E' or '\uFEFF' or '\u2028' or '\u2029')
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
