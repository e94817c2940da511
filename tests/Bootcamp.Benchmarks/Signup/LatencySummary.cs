namespace Bootcamp.Benchmarks.Signup;

/// <summary>Latency percentiles by the nearest-rank method: a value that some request really took.</summary>
internal sealed class LatencySummary
{
    private readonly double[] sorted;

    public LatencySummary(IEnumerable<double> milliseconds)
    {
        sorted = [.. milliseconds];
        Array.Sort(sorted);
    }

    public int Count => sorted.Length;

    public double Max => sorted.Length == 0 ? double.NaN : sorted[^1];

    public double Percentile(double percent)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
