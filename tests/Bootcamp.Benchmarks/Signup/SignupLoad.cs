using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Bootcamp.Benchmarks.Signup;

/// <summary>One request: when it started and ended (Stopwatch timestamps) and its status; 0 when no answer came.</summary>
internal readonly record struct SignupSample(long Started, long Finished, int Status)
{
    public double Milliseconds => Stopwatch.GetElapsedTime(Started, Finished).TotalMilliseconds;
}

/// <summary>
/// A closed loop: <c>concurrency</c> workers, each posting the next sign-up as soon as its previous one
/// is answered, over at most that many keep-alive connections, every address new.
/// </summary>
internal sealed class SignupLoad(string baseUrl, int concurrency)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    // Unique per run, so addresses never repeat even against a database that outlives the run.
    private readonly string tag = "." + Guid.NewGuid().ToString("N")[..6];
    private long sent;

    public long Answered => Interlocked.Read(ref sent);

    public async Task<List<SignupSample>> RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perWorker = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => WorkAsync(http, stopAt, cancellationToken)));
        return [.. perWorker.SelectMany(samples => samples)];
    }

    private async Task<List<SignupSample>> WorkAsync(HttpClient http, long stopAt, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var samples = new List<SignupSample>(8192);
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var content = new ByteArrayContent(Body(Interlocked.Increment(ref sent)));
            content.Headers.ContentType = Json;
            var started = Stopwatch.GetTimestamp();
            int status;
            try
            {
                using var response = await http.PostAsync("/api/enrollments", content, cancellationToken);
                status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                status = 0;
            }
            samples.Add(new SignupSample(started, Stopwatch.GetTimestamp(), status));
        }
        return samples;
    }

    private byte[] Body(long n)
    {
        var reader = SampleReaders.Number(n, tag);
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            email = reader.Email,
            firstName = reader.FirstName,
            timeZone = reader.TimeZone,
            discreet = reader.Discreet,
            tracking = !reader.NoTracking,
        });
    }
}
