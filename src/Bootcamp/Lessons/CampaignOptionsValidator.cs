using Bootcamp.Domain;
using Microsoft.Extensions.Options;
using MimeKit;
using NodaTime.Text;

namespace Bootcamp.Lessons;

/// <summary>Each failure names its key, so start-up stops with a line an operator can act on.</summary>
public sealed class CampaignOptionsValidator : IValidateOptions<CampaignOptions>
{
    public ValidateOptionsResult Validate(string? name, CampaignOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment))
        {
            failures.Add($"Campaign:PublicBaseUrl: '{options.PublicBaseUrl}' is not an absolute http(s) URL such as https://bootcamp.example.org");
        }
        if (!string.IsNullOrWhiteSpace(options.DiscreetBaseUrl)
            && (!Uri.TryCreate(options.DiscreetBaseUrl, UriKind.Absolute, out var discreetUri) || discreetUri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(discreetUri.Query) || !string.IsNullOrEmpty(discreetUri.Fragment)))
        {
            failures.Add($"Campaign:DiscreetBaseUrl: '{options.DiscreetBaseUrl}' is not an absolute http(s) URL such as https://notes.example.org");
        }
        CheckSender("Campaign:From", options.From, failures);
        CheckSender("Campaign:DiscreetFrom", options.DiscreetFrom, failures);
        if (!LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(options.SendAt ?? string.Empty).Success)
        {
            failures.Add($"Campaign:SendAt: '{options.SendAt}' is not a time of day such as 08:00");
        }
        if (options.DayLength <= TimeSpan.Zero)
        {
            failures.Add("Campaign:DayLength: must be longer than zero, such as 1.00:00:00");
        }
        else if (options.DayLength >= TimeSpan.FromDays(1) && options.DayLength.Ticks % TimeSpan.TicksPerDay != 0)
        {
            failures.Add("Campaign:DayLength: a day or longer must be whole days, such as 1.00:00:00; shorter spacings are for demos");
        }
        if (options.ConfirmationExpiry <= TimeSpan.Zero)
        {
            failures.Add("Campaign:ConfirmationExpiry: must be longer than zero, such as 2.00:00:00");
        }
        if (options.PostalAddress is { } postal && Text.HasControlCharacters(postal.Replace("\n", " ", StringComparison.Ordinal)))
        {
            failures.Add("Campaign:PostalAddress: contains control characters");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckSender(string key, string? value, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value) || Text.HasControlCharacters(value)
            || !MailboxAddress.TryParse(value, out var mailbox) || !mailbox.Address.Contains('@', StringComparison.Ordinal))
        {
            failures.Add($"{key}: '{value}' is not a sender such as Name <address@example.org>");
        }
    }
}
