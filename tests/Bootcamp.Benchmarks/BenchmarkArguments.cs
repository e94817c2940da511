using System.Globalization;

namespace Bootcamp.Benchmarks;

/// <summary>The benchmark's name and its <c>--option value</c> pairs; a bare <c>--flag</c> means true.</summary>
internal sealed class BenchmarkArguments
{
    /// <summary>Repeatable: <c>--set Key=Value</c> passes one more configuration setting to the host (try a setting without a rebuild).</summary>
    public const string HostSetting = "set";

    private readonly Dictionary<string, string> options;

    private BenchmarkArguments(string name, Dictionary<string, string> options, List<string> hostSettings)
    {
        Name = name;
        this.options = options;
        HostSettings = hostSettings;
    }

    public string Name { get; }

    /// <summary>The <c>--set</c> settings, after the benchmark's own, so they win.</summary>
    public IReadOnlyList<string> HostSettings { get; }

    /// <summary>Returns an error message, or null with <paramref name="arguments"/> set.</summary>
    public static string? Parse(string[] args, out BenchmarkArguments arguments)
    {
        arguments = new BenchmarkArguments(string.Empty, [], []);
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            return "Name a benchmark.";
        }
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var hostSettings = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i].Length == 2)
            {
                return $"Unexpected argument '{args[i]}'.";
            }
            var key = args[i][2..];
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            var value = hasValue ? args[++i] : "true";
            if (string.Equals(key, HostSetting, StringComparison.OrdinalIgnoreCase))
            {
                if (!value.Contains('=', StringComparison.Ordinal))
                {
                    return $"--{HostSetting} wants Key=Value, such as --{HostSetting} Delivery:BatchSize=500.";
                }
                hostSettings.Add(value);
                continue;
            }
            options[key] = value;
        }
        arguments = new BenchmarkArguments(args[0], options, hostSettings);
        return null;
    }

    public string? UnknownOption(IEnumerable<string> known) =>
        options.Keys.FirstOrDefault(key => !known.Contains(key, StringComparer.OrdinalIgnoreCase));

    public bool Flag(string name) => options.TryGetValue(name, out var value) && bool.Parse(value);

    public int Int(string name, int fallback, int min = 1)
    {
        if (!options.TryGetValue(name, out var text))
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new BenchmarkException($"--{name} wants a whole number of at least {min}, not '{text}'.");
    }
}
