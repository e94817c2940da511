using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Bootcamp.Operations;

namespace Bootcamp.IntegrationTests.Operations;

/// <summary>
/// With OTEL_EXPORTER_OTLP_ENDPOINT set, the host exports traces over OTLP/HTTP to a collector: a sign-up's request
/// is linked to its confirmation's send, a confirmation's request is the parent of lesson 1's send, each send says
/// its day, outcome and SMTP code, and no span holds an address or a token.
/// </summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Sign_up_to_confirmation_and_dispatch_to_smtp_answer_are_traced_and_no_span_holds_an_address_or_token()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port,
            $"--{Tracing.EndpointKey}={collector.Endpoint}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", "--OTEL_BSP_SCHEDULE_DELAY=100");
        var reader = new Subscriber(host, sink, "traced.reader@example.org");

        // The sign-up arrives inside a caller's trace, as from a front end that traces its own requests.
        var signUpTrace = ActivityTraceId.CreateRandom();
        using (var signUp = new HttpRequestMessage(HttpMethod.Post, "/api/enrollments"))
        {
            signUp.Content = JsonContent.Create(new { email = reader.Email, firstName = "Sam", timeZone = "Europe/Paris" });
            signUp.Headers.Add("traceparent", $"00-{signUpTrace}-{ActivitySpanId.CreateRandom()}-01");
            using var accepted = await host.Http.SendAsync(signUp);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        var confirmUrl = (await reader.WaitForConfirmationAsync()).Message.Link("/confirm/");
        using (var confirmed = await host.Http.PostAsync(confirmUrl, content: null))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        await reader.WaitForLessonsAsync(1);
        // Other hosts of this test run trace into the same process's listeners: wait for this reader's own chain.
        var spans = await Eventually.ReturnsAsync(() => Task.FromResult(collector.Spans), all => ChainComplete(all, signUpTrace, new Uri(host.BaseUrl).Port), TimeSpan.FromSeconds(30), "the send spans");

        var story = string.Join('\n', spans);
        var request = Assert.Single(spans, s => s.TraceId == signUpTrace.ToHexString() && s.Attributes.GetValueOrDefault("http.route") == "/api/enrollments");
        var enqueue = Assert.Single(spans, s => s.Name == "confirmations enqueue" && s.Links.Contains((request.TraceId, request.SpanId)));
        var confirmationSend = Assert.Single(spans, s => s.Name == "confirmation send" && s.TraceId == enqueue.TraceId);
        Assert.Equal(("sent", "250"), (confirmationSend.Attributes[Tracing.Outcome], confirmationSend.Attributes[Tracing.SmtpStatusCode]));

        // Other tests' hosts in this process are traced too while this one listens: this host's by its port.
        var port = new Uri(host.BaseUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var confirmRequest = Assert.Single(spans, s => s.Attributes.GetValueOrDefault("http.route")?.Contains("confirm/{token}") == true
            && s.Attributes.GetValueOrDefault("server.port") == port);
        var lessonSend = Assert.Single(spans, s => s.Name == "lesson send" && s.TraceId == confirmRequest.TraceId);
        Assert.Equal(("1", "sent", "250"), (lessonSend.Attributes[Tracing.Day], lessonSend.Attributes[Tracing.Outcome], lessonSend.Attributes[Tracing.SmtpStatusCode]));

        // Nothing that names the reader: not the address, nor the confirmation token, in any byte exported.
        var exported = string.Join('\n', collector.Exports.Select(Encoding.UTF8.GetString));
        Assert.DoesNotContain(reader.Email, exported, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(confirmUrl[(confirmUrl.LastIndexOf('/') + 1)..], exported, StringComparison.Ordinal);
        Assert.DoesNotContain(spans, s => s.Name.Contains('@') || s.Attributes.Values.Any(v => v.Contains('@')));
        Assert.True(spans.Count >= 5, story);
    }

    // The reader's whole story has arrived: sign-up → enqueue → confirmation send, and confirm → lesson send.
    private static bool ChainComplete(IReadOnlyList<OtlpSpan> spans, ActivityTraceId signUpTrace, int hostPort)
    {
        var port = hostPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = spans.FirstOrDefault(s => s.TraceId == signUpTrace.ToHexString() && s.Attributes.GetValueOrDefault("http.route") == "/api/enrollments");
        var enqueue = request is null ? null : spans.FirstOrDefault(s => s.Name == "confirmations enqueue" && s.Links.Contains((request.TraceId, request.SpanId)));
        var confirm = spans.FirstOrDefault(s => s.Attributes.GetValueOrDefault("http.route")?.Contains("confirm/{token}") == true
            && s.Attributes.GetValueOrDefault("server.port") == port);
        return enqueue is not null && confirm is not null
            && spans.Any(s => s.Name == "confirmation send" && s.TraceId == enqueue.TraceId)
            && spans.Any(s => s.Name == "lesson send" && s.TraceId == confirm.TraceId);
    }
}
