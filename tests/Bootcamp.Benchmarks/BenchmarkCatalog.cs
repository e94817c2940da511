using Bootcamp.Benchmarks.Delivery;
using Bootcamp.Benchmarks.Signup;

namespace Bootcamp.Benchmarks;

/// <summary>A benchmark by its contract name. <see cref="RunAsync"/> is null while it is not built yet.</summary>
internal sealed record Benchmark(
    string Name,
    string Keys,
    string[] Options,
    Func<BenchmarkArguments, CancellationToken, Task<BenchmarkResult>>? RunAsync);

internal static class BenchmarkCatalog
{
    // The contract's Benchmarks table. To add one: write its RunAsync and put it here.
    private static readonly Benchmark[] All =
    [
        new("delivery", "lessons lessons_per_s raw_mailkit_per_s ratio smtp_ceiling_per_s ceiling_ratio cold_lessons_per_s peak_rss_mb ready_s", ["lessons"], DeliveryBenchmark.RunAsync),
        new("signup", "signup_per_s p99_ms p50_ms requests errors peak_rss_mb ready_s catch_up_s", ["postgres", "smtp", "mail-on-disk", "concurrency", "warmup", "seconds", "catch-up"], SignupBenchmark.RunAsync),
        new("pixel", "pixel_per_s bare_per_s ratio p99_ms peak_rss_mb host_cpu_us bare_cpu_us", ["concurrency", "warmup", "seconds", "lessons"], Pixel.PixelBenchmark.RunAsync),
        new("burst", "lessons seconds lessons_per_s processes peak_rss_mb web_rss_mb worker1_rss_mb worker2_rss_mb worker1_share worker2_share", ["lessons", "workers"], Burst.BurstBenchmark.RunAsync),
        new("dashboard", "stats_ms search_ms page_ms overview_ms list_ms csv_s list_search_ms list_prefix_ms csv_rss_growth_mb enrollments lessons seed_s", ["enrollments"], Dashboard.DashboardBenchmark.RunAsync),
    ];

    public const string Usage = """
        usage: dotnet run -c Release --project tests/Bootcamp.Benchmarks -- <name> [options]
          delivery [--lessons 20000]
              due lessons in PostgreSQL -> host process -> SMTP sink, beside raw MailKit and Postfix's smtp-source
              (/usr/sbin/smtp-source, Debian package postfix) to the same sink
          signup [--postgres] [--smtp true] [--mail-on-disk true] [--concurrency 32] [--warmup 10] [--seconds 15] [--catch-up 10]
              POST /api/enrollments against a host process on SQLite (or PostgreSQL), rate limits lifted;
              fails when the confirmations are not all out --catch-up seconds after the last answer
          pixel [--concurrency 32] [--warmup 15] [--seconds 8] [--lessons 1000000]
              GET /t/o/{token}, a different lesson's each time, on a host process, beside bare Kestrel serving the same GIF
          burst [--lessons 100000] [--workers 2]
              lessons due at one instant, a web process and worker processes on a durable PostgreSQL, one sink
          dashboard [--enrollments 1000000]
              /admin/api/stats, a search (the API's, and the list's exact and prefix), the /admin overview, a page of
              /admin/enrollments and the whole CSV, at a million confirmed courses (seven million lessons) plus pending sign-ups
          --set Key=Value (repeatable, any benchmark): one more host setting, after the benchmark's own
              e.g. --set Delivery:BatchSize=500 --set Jobs:Workers=4
        PostgreSQL: a throwaway cluster from /usr/lib/postgresql/*/bin, or the server BOOTCAMP_TEST_POSTGRES names.
        """;

    public static Benchmark? Find(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));
}
