using Bootcamp.Pages;

namespace Bootcamp.Enrollment;

/// <summary>The sign-up page's form fields. Checkboxes arrive as "true" when ticked and not at all otherwise.</summary>
public sealed class SignupForm
{
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? TimeZone { get; set; }
    public string? Discreet { get; set; }
    /// <summary>"Let the course see when I open its emails": unticked unless the reader ticks it.</summary>
    public string? Tracking { get; set; }
    /// <summary>"Where are you now?": one of the <see cref="Domain.Stages"/> names, or nothing.</summary>
    public string? Stage { get; set; }
    /// <summary>The honeypot: hidden from people, filled by bots.</summary>
    public string? Website { get; set; }

    /// <summary>The posted fields; null when the body is not a form that can be read.</summary>
    public static async Task<SignupForm?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (await PostedForm.ReadAsync(request, cancellationToken) is not { } form)
        {
            return null;
        }
        return new SignupForm
        {
            Email = form.Field("email"),
            FirstName = form.Field("firstName"),
            TimeZone = form.Field("timeZone"),
            Discreet = form.Field("discreet"),
            Tracking = form.Field("tracking"),
            Stage = form.Field("stage"),
            Website = form.Field("website"),
        };
    }

    public static bool IsTicked(string? value) => value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase));
}

/// <summary>The JSON API's body.</summary>
public sealed class SignupRequest
{
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? TimeZone { get; set; }
    public bool Discreet { get; set; }
    /// <summary>Opens and clicks are tracked only when the reader asks for it.</summary>
    public bool Tracking { get; set; }
    /// <summary>"Where are you now?": just-found-out, weeks, months or new-revelation; optional.</summary>
    public string? Stage { get; set; }
}

/// <summary>The JSON API's 202 body: the same for every valid address, so it tells nothing about the address.</summary>
public sealed record SignupAccepted(string Status, string Message)
{
    public static readonly SignupAccepted Instance = new("accepted", "If this address can receive the course, a confirmation email is on its way.");
}
