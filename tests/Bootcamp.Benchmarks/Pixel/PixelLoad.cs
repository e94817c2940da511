using System.Diagnostics;
using Bootcamp.Benchmarks.Signup;

namespace Bootcamp.Benchmarks.Pixel;

/// <summary>
/// A closed loop of GETs, each on the URL <c>nextUrl</c> hands out (the host: a different lesson's pixel each
/// time): <c>concurrency</c> workers over as many keep-alive connections, as mail clients fetching the pixel.
/// The connections stay open from one <see cref="RunAsync"/> to the next.
/// </summary>
internal sealed class PixelLoad(Func<string> nextUrl, int concurrency) : IDisposable
{
    private const string MailClient = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

    private readonly HttpClient http = NewClient(concurrency);

    public List<double> Latencies { get; } = new(1 << 20);

    public int Errors { get; private set; }

    /// <summary>Runs the loop for <paramref name="duration"/>; with <paramref name="measured"/>, keeps the latencies (ms) of the 200 answers that arrived in it and counts the others.</summary>
    public async Task RunAsync(TimeSpan duration, bool measured, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            await Task.Yield();
            var latencies = new List<double>(1 << 14);
            var errors = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(nextUrl(), HttpCompletionOption.ResponseContentRead, cancellationToken);
                var finished = Stopwatch.GetTimestamp();
                if (finished > stopAt)
                {
                    break;
                }
                if (response.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    errors++;
                }
                else
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started, finished).TotalMilliseconds);
                }
            }
            return (latencies, errors);
        }));
        if (measured)
        {
            foreach (var (latencies, errors) in results)
            {
                Latencies.AddRange(latencies);
                Errors += errors;
            }
        }
    }

    public LatencySummary Summary() => new(Latencies);

    public void Dispose() => http.Dispose();

    private static HttpClient NewClient(int concurrency)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false, AllowAutoRedirect = false };
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(MailClient);
        return http;
    }
}
