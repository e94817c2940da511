namespace Bootcamp.Benchmarks;

/// <summary>The figures line, and what the run's own checks found wrong (the figures are then suspect).</summary>
internal sealed record BenchmarkResult(Figures Figures, IReadOnlyList<string> Failures);

/// <summary>The benchmark could not produce figures at all.</summary>
internal sealed class BenchmarkException(string message) : Exception(message);
