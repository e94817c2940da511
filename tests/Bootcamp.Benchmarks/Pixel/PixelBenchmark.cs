using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bootcamp.Benchmarks.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using MimeKit;

namespace Bootcamp.Benchmarks.Pixel;

/// <summary>
/// <c>GET /t/o/{token}</c> on the host (its own process, SQLite, mail as files), each request the pixel of a
/// lesson not opened before (copies of a real reader's, see <see cref="PixelLessons"/>), so the host's open
/// writer has a row to write for every answer; beside bare Kestrel serving the same GIF in a process of its
/// own, same load, same run. Afterwards every lesson asked for must have its open in the record.
/// </summary>
internal static partial class PixelBenchmark
{
    public static async Task<BenchmarkResult> RunAsync(BenchmarkArguments arguments, CancellationToken cancellationToken)
    {
        var concurrency = arguments.Int("concurrency", 32);
        var warmUp = TimeSpan.FromSeconds(arguments.Int("warmup", 15, min: 0));
        var measured = TimeSpan.FromSeconds(arguments.Int("seconds", 8));
        var lessons = arguments.Int("lessons", 1_000_000);
        using var folder = new TempFolder();
        var mail = Path.Combine(folder.Path, "mail");
        var db = Path.Combine(folder.Path, "bootcamp.db");
        await using var host = HostProcess.Start([$"ConnectionStrings:Sqlite=Data Source={db}", "Smtp:Host=", $"Smtp:PickupDirectory={mail}",
            "RateLimits:SignupsPerIpPerMinute=0", "RateLimits:ConfirmationsPerAddressPerDay=0", .. arguments.HostSettings]);
        await host.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var pixel = await RealPixelUrlAsync(host.BaseUrl, mail, cancellationToken);
        Progress.Say($"pixel of a real lesson: {pixel[..Math.Min(60, pixel.Length)]}…");
        Progress.Say($"seeding {lessons} sent lessons modelled on that reader's, each with its own pixel URL");
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        var urls = await PixelLessons.SeedAsync(db, host.BaseUrl, RealReader, lessons, cancellationToken);
        Progress.Say($"seeded {urls.Length} lessons and sealed their tokens in {seeding.Elapsed.TotalSeconds:0.0} s");
        // Each request takes the next lesson; past the last one they repeat (and the writer has nothing new to write).
        var handedOut = 0L;
        string NextLesson() => urls[(int)((Interlocked.Increment(ref handedOut) - 1) % urls.Length)];

        await using var bare = await BareGifServer.StartAsync(cancellationToken);
        var bareUrl = BareGifServer.PixelUrl(bare);
        using var bareLoad = new PixelLoad(() => bareUrl, concurrency);
        using var pixelLoad = new PixelLoad(NextLesson, concurrency);
        // Both warmed alike: on two busy cores the JIT takes ~10 s of load to finish tiering a host up, and
        // a running server is warm. Measured in alternating one-second slices, so that whatever the
        // neighbours do on the shared cores falls on both alike.
        Progress.Say($"{concurrency} connections each; warm-up {warmUp.TotalSeconds:0} s bare Kestrel, then {warmUp.TotalSeconds:0} s host pixel");
        await bareLoad.RunAsync(warmUp, measured: false, cancellationToken);
        await pixelLoad.RunAsync(warmUp, measured: false, cancellationToken);
        Progress.Say($"measuring: {measured.TotalSeconds:0} s each, alternating one-second slices");
        var meter = new CpuMeter(host, postmasterPid: null);
        var bareMeter = new CpuMeter(bare, postmasterPid: null);
        var (bareCpu, pixelCpu) = (CpuSample.Zero, CpuSample.Zero);
        var slice = TimeSpan.FromSeconds(1);
        var slices = (int)Math.Ceiling(measured / slice);
        for (var i = 0; i < slices; i++)
        {
            bareCpu = await MeasureSliceAsync(bareLoad, slice, bareMeter, bareCpu, cancellationToken);
            pixelCpu = await MeasureSliceAsync(pixelLoad, slice, meter, pixelCpu, cancellationToken);
        }
        // Answers are counted when they arrive inside a slice, so each side had exactly this long.
        measured = slice * slices;
        var (latencies, errors, bareLatencies, bareErrors) = (pixelLoad.Latencies, pixelLoad.Errors, bareLoad.Latencies, bareLoad.Errors);

        var barePerSecond = bareLatencies.Count / measured.TotalSeconds;
        var perSecond = latencies.Count / measured.TotalSeconds;
        var summary = pixelLoad.Summary();
        Progress.Say($"bare {barePerSecond:0}/s (p99 {bareLoad.Summary().Percentile(99):0.0} ms); pixel {perSecond:0}/s (p99 {summary.Percentile(99):0.0} ms)");
        // On two shared cores the rates swing with the neighbours; CPU per answer is the steadier figure.
        Progress.Say("bare (its server as \"host\"): " + CpuMeter.Describe(CpuSample.Zero, bareCpu));
        Progress.Say("pixel: " + CpuMeter.Describe(CpuSample.Zero, pixelCpu));
        double PerAnswer(TimeSpan cpu, int answers) => cpu.TotalMicroseconds / Math.Max(1, answers);
        var hostMicroseconds = PerAnswer(pixelCpu.Host, latencies.Count);
        Progress.Say($"CPU per answer: host {hostMicroseconds:0} µs, bare Kestrel {PerAnswer(bareCpu.Host, bareLatencies.Count):0} µs; "
            + $"load generator {PerAnswer(pixelCpu.Harness, latencies.Count):0} µs on the host, {PerAnswer(bareCpu.Harness, bareLatencies.Count):0} µs on bare Kestrel");

        var failures = new List<string>();
        if (errors + bareErrors > 0)
        {
            failures.Add($"{errors} pixel and {bareErrors} bare answers were not 200");
        }
        // Every lesson asked for must reach the record within a few flushes (opens are written in batches).
        var requested = Interlocked.Read(ref handedOut);
        var expected = Math.Min(requested, urls.Length);
        var (opened, after) = await OpensRecordedAsync(db, expected, cancellationToken);
        Progress.Say($"{requested} pixel requests in all (warm-up included) on {expected} distinct lessons"
            + (requested > urls.Length ? $" ({requested - urls.Length} repeated a lesson: raise --lessons)" : "")
            + $"; {opened} opens recorded, {after.TotalSeconds:0.0} s after the last request");
        if (opened != expected)
        {
            failures.Add($"{opened} opens recorded of {expected} lessons whose pixel was answered");
        }
        var figures = new Figures("pixel")
            .Whole("pixel_per_s", perSecond)
            .Whole("bare_per_s", barePerSecond)
            .Decimal("ratio", perSecond / barePerSecond)
            .Decimal("p99_ms", summary.Percentile(99), 1)
            .Whole("peak_rss_mb", host.TreePeakRssMegabytes)
            .Whole("host_cpu_us", hostMicroseconds)
            .Whole("bare_cpu_us", PerAnswer(bareCpu.Host, bareLatencies.Count));
        return new BenchmarkResult(figures, failures);
    }

    private static async Task<CpuSample> MeasureSliceAsync(PixelLoad load, TimeSpan slice, CpuMeter meter, CpuSample total, CancellationToken cancellationToken)
    {
        var from = meter.Sample();
        await load.RunAsync(slice, measured: true, cancellationToken);
        return total.Plus(from, meter.Sample());
    }

    private static async Task<string> RealPixelUrlAsync(string baseUrl, string mail, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        using (var signup = await http.PostAsJsonAsync("/api/enrollments", new { email = RealReader, timeZone = "Europe/Paris", tracking = true }, cancellationToken))
        {
            signup.EnsureSuccessStatusCode();
        }
        var confirm = await FindInMailAsync(mail, ConfirmLink(), cancellationToken);
        using (var confirmed = await http.PostAsync(confirm, null, cancellationToken))
        {
            confirmed.EnsureSuccessStatusCode();
        }
        return await FindInMailAsync(mail, PixelLink(), cancellationToken);
    }

    private static async Task<string> FindInMailAsync(string mail, Regex pattern, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (Directory.Exists(mail))
            {
                foreach (var file in Directory.EnumerateFiles(mail, "*.eml"))
                {
                    var message = await MimeMessage.LoadAsync(file, cancellationToken);
                    var match = pattern.Match(message.HtmlBody ?? string.Empty);
                    if (match.Success)
                    {
                        return match.Value;
                    }
                }
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"No mail matching {pattern} in {mail}");
    }

    // The writer may still be catching up: wait (with a deadline) until the count stops short of nothing.
    private static async Task<(long Opened, TimeSpan After)> OpensRecordedAsync(string db, long expected, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        long opened;
        while ((opened = await PixelLessons.OpenedAsync(db, cancellationToken)) < expected && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250, cancellationToken);
        }
        return (opened, waited.Elapsed);
    }

    private const string RealReader = "pixel@example.org";

    [GeneratedRegex(@"https?://[^\s""'<>]+/confirm/[A-Za-z0-9_\-]+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"https?://[^\s""'<>]+/t/o/[A-Za-z0-9_\-]+")]
    private static partial Regex PixelLink();
}
