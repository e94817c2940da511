namespace Bootcamp.Admin;

/// <summary>Cells of the admin area's CSV exports.</summary>
public static class Csv
{
    /// <summary>Quoted when needed; a cell a spreadsheet would run as a formula starts with an apostrophe.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
