using Bootcamp.Benchmarks;
using Bootcamp.Benchmarks.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

// The pixel benchmark's yardstick runs this program again as a process of its own.
if (args is [Bootcamp.Benchmarks.Pixel.BareGifServer.Mode, var url])
{
    return await Bootcamp.Benchmarks.Pixel.BareGifServer.ServeAsync(url);
}

// One benchmark per run, on loopback (contract: Benchmarks). Progress is printed as it happens; the
// figures line is printed last, after the host process, the SMTP sink and the database are gone.
if (BenchmarkArguments.Parse(args, out var arguments) is { } usageError)
{
    Console.Error.WriteLine(usageError);
    Console.Error.WriteLine(BenchmarkCatalog.Usage);
    return 2;
}

var benchmark = BenchmarkCatalog.Find(arguments.Name);
if (benchmark?.RunAsync is null)
{
    Console.Error.WriteLine(benchmark is null
        ? $"{arguments.Name}: no such benchmark."
        : $"{arguments.Name}: not implemented yet (its figures: {benchmark.Keys}).");
    Console.Error.WriteLine(BenchmarkCatalog.Usage);
    return benchmark is null ? 2 : 3;
}
if (arguments.UnknownOption(benchmark.Options) is { } unknown)
{
    Console.Error.WriteLine($"{arguments.Name}: unknown option --{unknown}.");
    Console.Error.WriteLine(BenchmarkCatalog.Usage);
    return 2;
}

// First Ctrl+C: unwind, so the host is killed and the database dropped. A second one exits at once;
// the host's watchdog and the cluster's watchdog then clean up.
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!stopping.IsCancellationRequested)
    {
        e.Cancel = true;
        Progress.Say("stopping (Ctrl+C again to exit at once)");
        stopping.Cancel();
    }
};
HostProcess.Say = Progress.Say;
AppDomain.CurrentDomain.ProcessExit += (_, _) => HostProcess.KillAll();

try
{
    var result = await benchmark.RunAsync(arguments, stopping.Token);
    foreach (var failure in result.Failures)
    {
        Console.Error.WriteLine($"FAILED: {failure}");
    }
    Console.Out.Flush();
    Console.Error.Flush();
    Console.WriteLine(result.Figures);
    return result.Failures.Count == 0 ? 0 : 1;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
catch (Exception e) when (e is BenchmarkException or HostProcessException)
{
    Console.Error.WriteLine($"FAILED: {e.Message}");
    return 1;
}
finally
{
    HostProcess.KillAll();
}
