using Bootcamp.Courses;
using Microsoft.Extensions.Options;

namespace Bootcamp.Webhooks;

/// <summary>Every endpoint's URL, secret and events, and the retry delays, checked at start-up; each failure names its key.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            var endpoint = options.Endpoints[i];
            var key = $"{WebhookOptions.Section}:Endpoints:{i}";
            if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || endpoint.Url.Length > Persistence.BootcampDb.WebhookEndpointMaxLength)
            {
                failures.Add($"{key}:Url: '{endpoint.Url}' is not an http(s) URL");
            }
            if (WebhookSignature.TryReadSecret(endpoint.Secret) is null)
            {
                failures.Add($"{key}:Secret: write whsec_ followed by the key in base64");
            }
            foreach (var type in endpoint.EventTypes(CourseEvents.All).Where(t => !CourseEvents.All.Contains(t)))
            {
                failures.Add($"{key}:Events: '{type}' is not an event; choose from {string.Join(", ", CourseEvents.All)}");
            }
        }
        try
        {
            var delays = options.ParsedRetryDelays();
            if (delays.Any(d => d <= TimeSpan.Zero))
            {
                failures.Add($"{WebhookOptions.Section}:RetryDelays: every wait must be longer than zero");
            }
        }
        catch (FormatException e)
        {
            failures.Add($"{WebhookOptions.Section}:RetryDelays: {e.Message}; write comma-separated waits such as 00:00:05,00:05:00");
        }
        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add($"{WebhookOptions.Section}:Timeout: must be longer than zero");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
