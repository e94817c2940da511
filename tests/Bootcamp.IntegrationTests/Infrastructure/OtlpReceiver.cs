using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>A trace collector's OTLP/HTTP endpoint: Kestrel on loopback keeping every protobuf export it is sent.</summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<byte[]> _exports = new();

    private OtlpReceiver(WebApplication app, string endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>What OTEL_EXPORTER_OTLP_ENDPOINT names; the exporter adds /v1/traces.</summary>
    public string Endpoint { get; }

    /// <summary>Every export request's body, as sent.</summary>
    public IReadOnlyList<byte[]> Exports => [.. _exports];

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<OtlpSpan> Spans => [.. _exports.SelectMany(OtlpSpan.Parse)];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var (app, baseUrl) = LoopbackApp.Create();
        var receiver = new OtlpReceiver(app, baseUrl);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._exports.Enqueue(body.ToArray());
            // An empty ExportTraceServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
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
