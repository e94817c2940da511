using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bootcamp.Benchmarks.Hosting;
using MimeKit;

namespace Bootcamp.Benchmarks.Pixel;

/// <summary>
/// <c>GET /t/o/{token}</c> on the host (its own process, SQLite, mail as files) with a real token from a real
/// lesson, beside bare Kestrel serving the same GIF in this process, same load, same run. Afterwards the
/// open must be in the record: answered opens are not lost.
/// </summary>
internal static partial class PixelBenchmark
{
    public static async Task<BenchmarkResult> RunAsync(BenchmarkArguments arguments, CancellationToken cancellationToken)
    {
        var concurrency = arguments.Int("concurrency", 32);
        var warmUp = TimeSpan.FromSeconds(arguments.Int("warmup", 2, min: 0));
        var measured = TimeSpan.FromSeconds(arguments.Int("seconds", 8));
        using var folder = new TempFolder();
        var mail = Path.Combine(folder.Path, "mail");
        var db = Path.Combine(folder.Path, "bootcamp.db");
        await using var host = HostProcess.Start([$"ConnectionStrings:Sqlite=Data Source={db}", "Smtp:Host=", $"Smtp:PickupDirectory={mail}",
            "RateLimits:SignupsPerIpPerMinute=0", "RateLimits:SignupsPerAddressPerHour=0", .. arguments.HostSettings]);
        await host.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var pixel = await RealPixelUrlAsync(host.BaseUrl, mail, cancellationToken);
        Progress.Say($"pixel of a real lesson: {pixel[..Math.Min(60, pixel.Length)]}…");

        await using var bare = await BareGifServer.StartAsync();
        Progress.Say($"bare Kestrel: {concurrency} connections, {warmUp.TotalSeconds:0} s warm-up + {measured.TotalSeconds:0} s");
        var meter = new CpuMeter(host, postmasterPid: null);
        var bareWindow = meter.SampleWindowAsync(warmUp, measured, cancellationToken);
        var (bareLatencies, bareErrors) = await PixelLoad.RunAsync(bare.Url, concurrency, warmUp, measured, cancellationToken);
        var (bareFrom, bareTo) = await bareWindow;
        Progress.Say($"host pixel: same load");
        var pixelWindow = meter.SampleWindowAsync(warmUp, measured, cancellationToken);
        var (latencies, errors) = await PixelLoad.RunAsync(pixel, concurrency, warmUp, measured, cancellationToken);
        var (pixelFrom, pixelTo) = await pixelWindow;

        var barePerSecond = bareLatencies.Count / measured.TotalSeconds;
        var perSecond = latencies.Count / measured.TotalSeconds;
        var summary = PixelLoad.Summary(latencies);
        Progress.Say($"bare {barePerSecond:0}/s (p99 {PixelLoad.Summary(bareLatencies).Percentile(99):0.0} ms); pixel {perSecond:0}/s (p99 {summary.Percentile(99):0.0} ms)");
        // On two shared cores the rates swing with the neighbours; CPU per answer is the steadier figure.
        Progress.Say("bare: " + CpuMeter.Describe(bareFrom, bareTo));
        Progress.Say("pixel: " + CpuMeter.Describe(pixelFrom, pixelTo));
        var hostMicroseconds = (pixelTo.Host - pixelFrom.Host).TotalMicroseconds / Math.Max(1, latencies.Count);
        Progress.Say($"CPU per answer: host {hostMicroseconds:0} µs (load generator {(pixelTo.Harness - pixelFrom.Harness).TotalMicroseconds / Math.Max(1, latencies.Count):0} µs); "
            + $"bare server and load generator together {(bareTo.Harness - bareFrom.Harness).TotalMicroseconds / Math.Max(1, bareLatencies.Count):0} µs");

        var failures = new List<string>();
        if (errors + bareErrors > 0)
        {
            failures.Add($"{errors} pixel and {bareErrors} bare answers were not 200");
        }
        // The open must reach the record within a few flushes (opens are written in batches).
        if (!await OpenRecordedAsync(db, cancellationToken))
        {
            failures.Add("the lesson's open was never recorded");
        }
        var figures = new Figures("pixel")
            .Whole("pixel_per_s", perSecond)
            .Whole("bare_per_s", barePerSecond)
            .Decimal("ratio", perSecond / barePerSecond)
            .Decimal("p99_ms", summary.Percentile(99), 1)
            .Whole("peak_rss_mb", host.PeakRssMegabytes ?? double.NaN)
            .Whole("host_cpu_us", hostMicroseconds);
        return new BenchmarkResult(figures, failures);
    }

    private static async Task<string> RealPixelUrlAsync(string baseUrl, string mail, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        using (var signup = await http.PostAsJsonAsync("/api/enrollments", new { email = "pixel@example.org", timeZone = "Europe/Paris" }, cancellationToken))
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

    private static async Task<bool> OpenRecordedAsync(string db, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db}");
        await connection.OpenAsync(cancellationToken);
        while (DateTime.UtcNow < until)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM lessons WHERE opened_at IS NOT NULL";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                return true;
            }
            await Task.Delay(100, cancellationToken);
        }
        return false;
    }

    [GeneratedRegex(@"https?://[^\s""'<>]+/confirm/[A-Za-z0-9_\-]+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"https?://[^\s""'<>]+/t/o/[A-Za-z0-9_\-]+")]
    private static partial Regex PixelLink();
}
