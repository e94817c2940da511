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
    /// <summary>Optional: just-found-out, weeks, months or new-revelation.</summary>
    public string? Stage { get; set; }
}
