using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>One webhook request as the receiver saw it.</summary>
internal sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, int Status);

/// <summary>An integrator's endpoint: Kestrel on loopback, recording every request and answering 500 while told to.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Every request, in the order they arrived, failed ones too.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>The requests answered 2xx.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted => [.. _received.Where(r => r.Status == 200)];

    /// <summary>The next <paramref name="count"/> requests get 500.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var (app, baseUrl) = LoopbackApp.Create();
        var receiver = new WebhookReceiver(app, $"{baseUrl}/hooks");
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var status = Interlocked.Decrement(ref receiver._failuresLeft) >= 0 ? 500 : 200;
            receiver._received.Enqueue(new ReceivedWebhook(request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(), body, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

}
