using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Bootcamp.Benchmarks.Hosting;
using Bootcamp.Benchmarks.Signup;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.Benchmarks.Dashboard;

/// <summary>
/// The admin's reads at a million enrollments and seven million lessons (<see cref="MillionSeeder"/>), through the
/// host's own HTTP endpoints as a signed-in admin: <c>/admin/api/stats</c>, <c>/admin/api/enrollments?email=</c>
/// (search), the list's own search (<c>/admin/enrollments?q=</c>, an exact address and a prefix), the <c>/admin</c>
/// overview (every panel and the charts' data, over 30 and 90 days), a page of <c>/admin/enrollments</c> (median of
/// repeated requests after a warm-up), and the whole <c>/admin/enrollments.csv</c> once, with the host's RSS sampled
/// while it streams. Each answer is checked against the seeded list as counted in the database: the searches find
/// the seeded address, the overview and stats count the list, the CSV has a row for every enrollment.
/// </summary>
internal static partial class DashboardBenchmark
{
    private const string Email = "bench-admin@example.org";
    private const string Password = "benchmark password";

    public static async Task<BenchmarkResult> RunAsync(BenchmarkArguments arguments, CancellationToken cancellationToken)
    {
        // Confirmed courses, seven lessons each; the pending sign-ups come on top.
        var count = arguments.Int("enrollments", 1_000_000);
        await using var database = await BenchmarkDatabase.CreateAsync("dashboard");
        await using var host = HostProcess.Start(["Storage:Provider=Postgres", $"ConnectionStrings:Postgres={database.ConnectionString}",
            $"Admin:Email={Email}", $"Admin:Password={Password}", .. arguments.HostSettings]);
        await host.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var seeding = Stopwatch.StartNew();
        Progress.Say($"seeding {count} courses, their lessons and {count / 100} pending sign-ups in PostgreSQL");
        var seeded = await MillionSeeder.SeedAsync(database.ConnectionString, count, cancellationToken);
        var seedSeconds = seeding.Elapsed.TotalSeconds;
        Progress.Say($"seeded in {seedSeconds:0} s: {seeded}");

        using var admin = await SignInAsync(host.BaseUrl, cancellationToken);
        var stats = await MedianAsync(admin, "/admin/api/stats", cancellationToken);
        var sought = $"reader{count / 2 + 1}@example.org";
        var search = await MedianAsync(admin, $"/admin/api/enrollments?email={sought}", cancellationToken);
        var listSearch = await MedianAsync(admin, $"/admin/enrollments?q={sought}", cancellationToken);
        // A prefix that stands for many addresses (reader1, reader10…, reader100000…): the list's keyset page of them.
        var prefix = $"reader{count / 2 / 1000 + 1}";
        var listPrefix = await MedianAsync(admin, $"/admin/enrollments?q={prefix}", cancellationToken);
        var page = await MedianAsync(admin, "/admin", cancellationToken);
        // Thirteen weeks of sign-ups: 91 trend days and 14 cohort weeks.
        var overview = await MedianAsync(admin, "/admin?range=90", cancellationToken);
        var list = await MedianAsync(admin, "/admin/enrollments?status=finished", cancellationToken);
        var sample = await admin.GetStringAsync("/admin/api/stats", cancellationToken);
        Progress.Say($"stats: {sample}");

        var failures = new List<string>();
        if (!sample.Contains("\"finished\":" + seeded.Finished, StringComparison.Ordinal))
        {
            failures.Add($"stats do not show the {seeded.Finished} finished enrollments seeded");
        }
        if (!(await admin.GetStringAsync($"/admin/enrollments?q={prefix}", cancellationToken)).Contains("/admin/enrollments/", StringComparison.Ordinal))
        {
            failures.Add($"the list's prefix search finds nobody for {prefix}");
        }
        if (!(await admin.GetStringAsync($"/admin/api/enrollments?email={sought}", cancellationToken)).Contains(sought, StringComparison.Ordinal)
            || !(await admin.GetStringAsync($"/admin/enrollments?q={sought}", cancellationToken)).Contains(sought, StringComparison.Ordinal))
        {
            failures.Add($"the search does not find {sought}");
        }
        // The whole list: thirteen weeks of sign-ups lie within the longest range.
        var funnel = await admin.GetStringAsync("/admin/api/overview?range=365", cancellationToken);
        if (!funnel.Contains($"{{\"label\":\"Signed up\",\"count\":{seeded.Enrollments},", StringComparison.Ordinal)
            || !funnel.Contains($"{{\"label\":\"Confirmed\",\"count\":{seeded.Confirmed},", StringComparison.Ordinal)
            || !funnel.Contains($"{{\"label\":\"Lesson 7 sent\",\"count\":{seeded.LessonSevenSent},", StringComparison.Ordinal))
        {
            failures.Add($"the overview's funnel does not show the seeded list: {funnel[..Math.Min(funnel.Length, 700)]}");
        }
        var csv = await CsvAsync(admin, host, cancellationToken);
        if (csv.DataRows != seeded.Enrollments)
        {
            failures.Add($"the CSV has {csv.DataRows} data rows, not {seeded.Enrollments}");
        }
        var figures = new Figures("dashboard")
            .Decimal("stats_ms", stats, 1)
            .Decimal("search_ms", search, 1)
            .Decimal("list_search_ms", listSearch, 1)
            .Decimal("list_prefix_ms", listPrefix, 1)
            .Decimal("page_ms", page, 1)
            .Decimal("overview_ms", overview, 1)
            .Decimal("list_ms", list, 1)
            .Decimal("csv_s", csv.Elapsed.TotalSeconds, 1)
            .Whole("csv_rss_growth_mb", csv.RssGrowthMegabytes)
            .Whole("enrollments", seeded.Enrollments)
            .Whole("lessons", seeded.Lessons)
            .Whole("seed_s", seedSeconds);
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

    private sealed record CsvFigures(long DataRows, TimeSpan Elapsed, double RssGrowthMegabytes);

    /// <summary>Downloads the whole CSV, counting its rows as they arrive, while sampling the host's RSS.</summary>
    private static async Task<CsvFigures> CsvAsync(HttpClient admin, HostProcess host, CancellationToken cancellationToken)
    {
        var before = host.RssMegabytes ?? double.NaN;
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, host.RssMegabytes ?? 0);
                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);
        var started = Stopwatch.StartNew();
        using var response = await admin.GetAsync("/admin/enrollments.csv", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var lines = 0L;
        while (await reader.ReadLineAsync(cancellationToken) is not null)
        {
            lines++;
        }
        var elapsed = started.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        Progress.Say($"/admin/enrollments.csv: {lines} lines in {elapsed.TotalSeconds:0.0} s, host RSS {before:0} MB before, {peak:0} MB at most");
        // The header row is not a data row.
        return new CsvFigures(lines - 1, elapsed, peak - before);
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
