namespace Bootcamp.Domain;

internal static class Text
{
    /// <summary>CR, LF, TAB and every other control or format-breaking character that must never reach a header.</summary>
    public static bool HasControlCharacters(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085')
            {
                return true;
            }
        }
        return false;
    }
}
