using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Bootcamp.Benchmarks.Hosting;
using Bootcamp.Benchmarks.Signup;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.Benchmarks.Dashboard;

/// <summary>
/// The admin's reads at a million enrollments, through the host's own HTTP endpoints as a signed-in
/// admin: <c>/admin/api/stats</c>, <c>/admin/api/enrollments?email=</c> (search) and the <c>/admin</c>
/// page. Median of repeated requests after a warm-up.
/// </summary>
internal static partial class DashboardBenchmark
{
    private const string Email = "bench-admin@example.org";
    private const string Password = "benchmark password";

    public static async Task<BenchmarkResult> RunAsync(BenchmarkArguments arguments, CancellationToken cancellationToken)
    {
        var count = arguments.Int("enrollments", 1_000_000);
        await using var database = await BenchmarkDatabase.CreateAsync("dashboard");
        await using var host = HostProcess.Start(["Storage:Provider=Postgres", $"ConnectionStrings:Postgres={database.ConnectionString}",
            $"Admin:Email={Email}", $"Admin:Password={Password}", .. arguments.HostSettings]);
        await host.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var seeding = Stopwatch.StartNew();
        Progress.Say($"seeding {count} enrollments and their lessons in PostgreSQL");
        await MillionSeeder.SeedAsync(database.ConnectionString, count, cancellationToken);
        Progress.Say($"seeded in {seeding.Elapsed.TotalSeconds:0} s");

        using var admin = await SignInAsync(host.BaseUrl, cancellationToken);
        var stats = await MedianAsync(admin, "/admin/api/stats", cancellationToken);
        var search = await MedianAsync(admin, $"/admin/api/enrollments?email=reader{count / 2 + 1}@example.org", cancellationToken);
        var page = await MedianAsync(admin, "/admin", cancellationToken);
        var sample = await admin.GetStringAsync("/admin/api/stats", cancellationToken);
        Progress.Say($"stats: {sample}");

        var failures = new List<string>();
        if (!sample.Contains("\"finished\":" + (count / 10 * 4), StringComparison.Ordinal))
        {
            failures.Add($"stats do not show the {count / 10 * 4} finished enrollments seeded");
        }
        var figures = new Figures("dashboard")
            .Decimal("stats_ms", stats, 1)
            .Decimal("search_ms", search, 1)
            .Decimal("page_ms", page, 1)
            .Whole("enrollments", count);
        return new BenchmarkResult(figures, failures);
    }

    private static async Task<double> MedianAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var i = 0; i < 25; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
            if (i >= 5)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        var summary = new LatencySummary(times);
        Progress.Say($"{path}: median {summary.Percentile(50):0.0} ms, max {summary.Max:0.0} ms");
        return summary.Percentile(50);
    }

    private static async Task<HttpClient> SignInAsync(string baseUrl, CancellationToken cancellationToken)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(baseUrl) };
        var form = await client.GetStringAsync("/admin/login", cancellationToken);
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        using var response = await client.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = WebUtility.HtmlDecode(token),
            ["email"] = Email,
            ["password"] = Password,
        }), cancellationToken);
        if (response.StatusCode != HttpStatusCode.SeeOther)
        {
            throw new InvalidOperationException($"admin sign-in answered {(int)response.StatusCode}");
        }
        return client;
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
