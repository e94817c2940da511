using System.Text;

namespace Bootcamp.Benchmarks.Delivery;

/// <summary>Field-level edits of a message's header section (CRLF line ends, folded lines kept with their field).</summary>
internal static class HeaderSection
{
    /// <summary>Each named field's value (everything after its colon, without the CRLF) replaced; a field not present is added.</summary>
    public static string Replace(string head, params (string Name, string Value)[] fields)
    {
        var output = new StringBuilder(head.Length + 64);
        var pending = fields.ToList();
        var skipping = false;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (line[0] is ' ' or '\t')
            {
                // A folded line belongs to the field above it.
                if (!skipping)
                {
                    output.Append(line).Append("\r\n");
                }
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? line : line[..colon];
            var match = pending.FindIndex(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            skipping = match >= 0;
            if (skipping)
            {
                output.Append(name).Append(':').Append(pending[match].Value).Append("\r\n");
                pending.RemoveAt(match);
            }
            else
            {
                output.Append(line).Append("\r\n");
            }
        }
        foreach (var (name, value) in pending)
        {
            output.Append(name).Append(':').Append(value).Append("\r\n");
        }
        return output.ToString();
    }
}
