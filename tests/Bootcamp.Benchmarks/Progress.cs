using System.Diagnostics;

namespace Bootcamp.Benchmarks;

/// <summary>Progress lines, stamped with the time since the run began.</summary>
internal static class Progress
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static readonly Lock Gate = new();

    public static void Say(string message)
    {
        lock (Gate)
        {
            Console.WriteLine($"[{Clock.Elapsed.TotalSeconds,7:0.0}s] {message}");
        }
    }
}
