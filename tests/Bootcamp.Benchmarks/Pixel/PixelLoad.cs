using System.Diagnostics;
using Bootcamp.Benchmarks.Signup;

namespace Bootcamp.Benchmarks.Pixel;

/// <summary>A closed loop of GETs on one URL: <c>concurrency</c> workers over as many keep-alive connections, as mail clients fetching the pixel.</summary>
internal static class PixelLoad
{
    private const string MailClient = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

    /// <returns>Latencies (ms) of 200 answers that finished after the warm-up, and the count of other answers.</returns>
    public static async Task<(List<double> Latencies, int Errors)> RunAsync(string url, int concurrency, TimeSpan warmUp, TimeSpan measured, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(MailClient);
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            await Task.Yield();
            var latencies = new List<double>(65536);
            var errors = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken);
                var finished = Stopwatch.GetTimestamp();
                if (finished < measureFrom)
                {
                    continue;
                }
                if (response.StatusCode == System.Net.HttpStatusCode.OK)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started, finished).TotalMilliseconds);
                }
                else
                {
                    errors++;
                }
            }
            return (latencies, errors);
        }));
        return ([.. results.SelectMany(r => r.latencies)], results.Sum(r => r.errors));
    }

    public static LatencySummary Summary(List<double> latencies) => new(latencies);
}
