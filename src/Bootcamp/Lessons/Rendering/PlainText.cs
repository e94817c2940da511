using System.Text;

namespace Bootcamp.Lessons.Rendering;

/// <summary>Evens out the whitespace Razor leaves around code blocks in text templates.</summary>
internal static class PlainText
{
    /// <summary>
    /// <paramref name="text"/> into <paramref name="result"/>, which it returns: trailing spaces removed, at
    /// most one blank line in a row, no blank lines at either end, LF endings.
    /// </summary>
    public static StringBuilder Tidy(ReadOnlySpan<char> text, StringBuilder result)
    {
        var start = result.Length;
        var blankLines = 0;
        foreach (var range in text.Split('\n'))
        {
            var line = text[range].TrimEnd();
            if (line.IsEmpty)
            {
                blankLines++;
                continue;
            }
            if (result.Length > start)
            {
                result.Append('\n', blankLines > 0 ? 2 : 1);
            }
            result.Append(line);
            blankLines = 0;
        }
        return result.Append('\n');
    }
}
