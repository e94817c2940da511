using System.Globalization;
using System.Text;

namespace Bootcamp.Benchmarks;

/// <summary>The last line: the benchmark's name, then <c>key=value</c> pairs in the contract's order.</summary>
internal sealed class Figures(string benchmark)
{
    private readonly StringBuilder line = new(benchmark);

    /// <summary>Rates, counts and megabytes: whole numbers, as the contract's example shows them.</summary>
    public Figures Whole(string key, double value) => Add(key, Math.Round(value).ToString("0", CultureInfo.InvariantCulture));

    /// <summary>Ratios, milliseconds and seconds.</summary>
    public Figures Decimal(string key, double value, int digits = 2) =>
        Add(key, value.ToString("0." + new string('0', digits), CultureInfo.InvariantCulture));

    private Figures Add(string key, string value)
    {
        line.Append(' ').Append(key).Append('=').Append(value);
        return this;
    }

    public override string ToString() => line.ToString();
}
