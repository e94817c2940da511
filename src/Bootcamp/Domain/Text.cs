namespace Bootcamp.Domain;

internal static class Text
{
    /// <summary>
    /// CR, LF, TAB and every other control character, and invisible format characters (zero-width
    /// space, byte-order mark, bidi overrides): none may reach a header or hide inside an address.
    /// </summary>
    public static bool HasControlCharacters(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085'
                || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                return true;
            }
        }
        return false;
    }
}
