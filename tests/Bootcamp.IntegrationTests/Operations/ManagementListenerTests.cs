using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.IntegrationTests.Operations;

/// <summary>/metrics is for the operator's monitoring, on its own listener; the public port knows nothing of it.</summary>
public sealed partial class ManagementListenerTests
{
    [Fact]
    public async Task Metrics_answer_only_on_the_management_listener_whatever_the_host_header_says()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null);
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = host.Management.BaseAddress!.Authority } };

        using var onPublic = await host.Http.GetAsync("/metrics");
        using var onPublicSpoofed = await host.Http.SendAsync(spoofed);
        using var unmapped = await host.Http.GetAsync("/no-such-page");
        using var onManagement = await host.Management.GetAsync("/metrics");
        using var healthOnManagement = await host.Management.GetAsync("/health/ready");
        using var healthOnPublic = await host.Http.GetAsync("/health/ready");
        using var signupPageOnManagement = await host.Management.GetAsync("/");

        Assert.Equal(HttpStatusCode.NotFound, onPublic.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onPublicSpoofed.StatusCode);
        // Told apart from a path nobody mapped by nothing: same status, same (empty) body.
        Assert.Equal(await unmapped.Content.ReadAsStringAsync(), await onPublic.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, onManagement.StatusCode);
        Assert.Contains("# TYPE", await onManagement.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, healthOnManagement.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthOnPublic.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, signupPageOnManagement.StatusCode);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task New_known_and_suppressed_addresses_get_the_same_answer_and_no_metric_label_tells_them_apart(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port);
        var enrolled = new Subscriber(host, sink, "enrolled@example.org");
        await enrolled.JoinAsync();
        var left = new Subscriber(host, sink, "left@example.org");
        await left.JoinAsync();
        using (await host.Http.PostAsync((await left.WaitForLessonsAsync(1))[0].Message.Link("/u/"), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]))) { }

        var answers = new List<(HttpStatusCode, string)>();
        foreach (var address in new[] { "enrolled@example.org", "left@example.org", "brand-new@example.org" })
        {
            using var response = await host.Http.PostAsJsonAsync("/api/enrollments", new { email = address, timeZone = "Europe/Paris" });
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }
        var series = await SignupSeriesAsync(host);

        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Equal(HttpStatusCode.Accepted, answers[0].Item1);
        // One series, no label of its own: nothing says what each sign-up caused. (Hosts of other tests in this
        // process export under the same meter name; their series differ only in the exporter's scope labels.)
        Assert.NotEmpty(series);
        Assert.All(series, labels => Assert.Equal("{}", OtelScopeLabel().Replace(labels, string.Empty)));
    }

    /// <summary>The labels of every bootcamp_signups series on the management listener.</summary>
    private static async Task<IReadOnlyList<string>> SignupSeriesAsync(TestHost host)
    {
        var text = await host.Management.GetStringAsync("/metrics");
        return [.. SignupSeries().Matches(text).Select(m => m.Groups["labels"].Value is { Length: > 0 } labels ? labels : "{}")];
    }

    [GeneratedRegex(@"^bootcamp_signups_total(?<labels>\{[^}]*\})? ", RegexOptions.Multiline)]
    private static partial Regex SignupSeries();

    [GeneratedRegex(@"otel_scope_[a-z_]+=""[^""]*"",?")]
    private static partial Regex OtelScopeLabel();
}
