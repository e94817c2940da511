using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.IntegrationTests.Operations;

/// <summary>
/// The Prometheus alert rules an operator loads (src/Bootcamp/Operations/alerts.yml, shown in the README): valid for
/// Prometheus's own checker, firing on the cases in alerts.test.yml, and naming only metrics a running host exports.
/// </summary>
public sealed partial class AlertRulesTests
{
    private static readonly string RulesFile = Path.Combine(RepositoryRoot.Path, "src", "Bootcamp", "Operations", "alerts.yml");
    private static readonly string CasesFile = Path.Combine(RepositoryRoot.Path, "tests", "Bootcamp.IntegrationTests", "Operations", "alerts.test.yml");

    [Fact]
    public async Task Promtool_accepts_the_rules_and_each_alert_fires_on_its_case_and_stays_quiet_when_healthy()
    {
        var check = await PromtoolAsync("check", "rules", RulesFile);
        var cases = await PromtoolAsync("test", "rules", CasesFile);

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("SUCCESS: 7 rules found", check.Output);
        Assert.True(cases.ExitCode == 0, cases.Output);
        Assert.Contains("SUCCESS", cases.Output);
    }

    [Fact]
    public void The_README_shows_the_rules_file_as_it_is()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var rules = File.ReadAllText(RulesFile);

        Assert.Contains(rules[rules.IndexOf("groups:", StringComparison.Ordinal)..], readme);
    }

    [Fact]
    public async Task Every_metric_and_label_the_rules_name_is_in_a_running_hosts_metrics()
    {
        // The host as its own process: in this one, other tests' hosts publish meters of the same name, and an
        // exporter keeps the first instrument of a name it sees, which may be theirs.
        await using var sink = await SmtpSink.StartAsync();
        var management = $"http://127.0.0.1:{LoopbackPort.Free()}";
        await using var host = HostProcess.Start([
            "Storage:Provider=Postgres", $"ConnectionStrings:Postgres={await PostgresServer.CreateDatabaseAsync("alerts")}",
            "Smtp:Host=127.0.0.1", $"Smtp:Port={sink.Port}", "Smtp:Security=None", "Campaign:PostalAddress=1 Test Street, Testville",
            "Campaign:DayLength=00:00:01", "RateLimits:SignupsPerIpPerMinute=0", "RateLimits:SignupsPerAddressPerHour=0", $"Management:Urls={management}"]);
        await host.WaitReadyAsync(TimeSpan.FromSeconds(180), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        // Lessons sent, a confirmation that hard-bounces, lessons refused for the sender's policy: every counter the
        // rules read has a series.
        await JoinAsync(http, sink, "reads@example.org");
        sink.RejectRecipient("gone@example.org", 550, "5.1.1", "No such user");
        await SignUpAsync(http, "gone@example.org");
        await JoinAsync(http, sink, "refused@example.org");
        // Lesson 1 may be out already; lesson 2, a second later, is refused.
        sink.RejectRecipient("refused@example.org", 550, "5.7.1", "Message rejected by policy");
        var named = NamedSeries(File.ReadAllText(RulesFile));
        using var scraper = new HttpClient { BaseAddress = new Uri(management) };

        var metrics = await Eventually.ReturnsAsync(() => scraper.GetStringAsync("/metrics"),
            text => named.All(series => Exported(text, series.Metric, series.Labels)), TimeSpan.FromSeconds(60), "every metric the rules name");

        Assert.Contains(named, series => series.Metric == "bootcamp_lessons_oldest_due_age_seconds");
        Assert.All(named, series => Assert.True(Exported(metrics, series.Metric, series.Labels), $"{series.Metric} {string.Join(",", series.Labels)} not in:\n{metrics}"));
    }

    private static async Task SignUpAsync(HttpClient http, string email)
    {
        using var response = await http.PostAsJsonAsync("/api/enrollments", new { email, timeZone = "Europe/Paris" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task JoinAsync(HttpClient http, SmtpSink sink, string email)
    {
        await SignUpAsync(http, email);
        var mails = await sink.WaitForAsync(all => all.To(email).Confirmations().Count > 0, Subscriber.MailDeadline);
        using var confirmed = await http.PostAsync(mails.To(email).Confirmations()[0].Message.Link("/confirm/"), content: null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    /// <summary>Each <c>bootcamp_*</c> metric in the rules' expressions, with the label names it is matched on.</summary>
    private static List<(string Metric, string[] Labels)> NamedSeries(string rules)
    {
        var expressions = string.Join('\n', rules.Split('\n').Where(line => !line.TrimStart().StartsWith('#')));
        return [.. SeriesSelector().Matches(expressions)
            .Select(m => (m.Groups["metric"].Value, LabelName().Matches(m.Groups["labels"].Value).Select(l => l.Groups[1].Value).ToArray()))];
    }

    private static bool Exported(string metrics, string metric, string[] labels) =>
        metrics.Split('\n').Any(line => (line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            && labels.All(label => line.Contains(label + "=\"", StringComparison.Ordinal)));

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("promtool is not installed: `.ci/test` installs Debian's prometheus package, which has it", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(deadline.Token);
            return (process.ExitCode, await output + await errors);
        }
    }

    [GeneratedRegex(@"(?<metric>bootcamp_[a-z_]+)(\{(?<labels>[^}]*)\})?")]
    private static partial Regex SeriesSelector();

    [GeneratedRegex(@"([a-z_]+)\s*!?=")]
    private static partial Regex LabelName();
}
