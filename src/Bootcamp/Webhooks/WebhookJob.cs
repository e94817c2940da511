using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bootcamp.Webhooks;

/// <summary>
/// Sends one batch of claimed deliveries, each signed as Standard Webhooks says, with the same
/// <c>webhook-id</c> on every attempt. A non-2xx answer, a timeout or a network error is retried after the
/// next of <c>Webhooks:RetryDelays</c>; after the last the delivery is given up. Bodies carry ids and the
/// event, never an address or a name.
/// </summary>
public sealed class WebhookJob(WebhookStore store, IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookJob> logger)
{
    public const string HttpClientName = "webhooks";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly TimeSpan[] _retryDelays = options.Value.ParsedRetryDelays();

    // The record's claims and leases decide what is sent again; Hangfire retrying a whole batch would only repeat that.
    [AutomaticRetry(Attempts = 0)]
    [Queue("default")]
    public async Task SendAsync(long[] deliveryIds, CancellationToken cancellationToken)
    {
        var deliveries = await store.LoadClaimedAsync(deliveryIds, cancellationToken);
        var endpoints = options.Value.Endpoints.ToDictionary(e => e.Url, StringComparer.Ordinal);
        var client = clients.CreateClient(HttpClientName);
        foreach (var delivery in deliveries)
        {
            var error = endpoints.TryGetValue(delivery.Endpoint, out var endpoint)
                ? await AttemptAsync(client, endpoint, delivery, cancellationToken)
                : "the endpoint is no longer configured";
            var now = time.GetUtcNow().UtcDateTime;
            if (error is null)
            {
                await store.MarkDeliveredAsync(delivery.Id, now, CancellationToken.None);
                continue;
            }
            var next = endpoint is not null && delivery.Attempts < _retryDelays.Length ? now + _retryDelays[delivery.Attempts] : (DateTime?)null;
            if (next is null)
            {
                logger.LogWarning("Webhook event {EventId} given up for an endpoint after {Attempts} attempts: {Error}", delivery.EventId, delivery.Attempts + 1, error);
            }
            await store.RecordFailureAsync(delivery.Id, next, error, CancellationToken.None);
        }
    }

    /// <returns>Null when the endpoint answered 2xx; otherwise what went wrong.</returns>
    private async Task<string?> AttemptAsync(HttpClient client, WebhookEndpointOptions endpoint, WebhookToSend delivery, CancellationToken cancellationToken)
    {
        var id = $"evt_{delivery.EventId}";
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var body = JsonSerializer.Serialize(new WebhookBody(delivery.Type, DateTime.SpecifyKind(delivery.OccurredAt, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            new WebhookData(delivery.EnrollmentId, delivery.Day)), Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(WebhookSignature.TryReadSecret(endpoint.Secret)!, id, timestamp, body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {options.Value.Timeout.TotalSeconds:0.#} s";
        }
    }

    private sealed record WebhookBody(string Type, string Timestamp, WebhookData Data);

    private sealed record WebhookData(long EnrollmentId, int? Day);
}
