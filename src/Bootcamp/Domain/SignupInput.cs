using NodaTime;

namespace Bootcamp.Domain;

/// <summary>A sign-up as it arrives from the form or the JSON API, before validation.</summary>
public sealed record SignupInput(string? Email, string? FirstName, string? TimeZone, bool Discreet, bool NoTracking = false, string? Stage = null);

/// <summary>A sign-up that passed validation.</summary>
public sealed record ValidSignup(string Email, string? FirstName, DateTimeZone TimeZone, bool Discreet, bool NoTracking, Stage? Stage = null);

public static class SignupValidator
{
    public const int FirstNameMaxLength = 100;

    /// <summary>Field names match the JSON API's property names, so problem details point at what the caller sent.</summary>
    public static Dictionary<string, string[]> Validate(SignupInput input, IDateTimeZoneProvider zones, out ValidSignup? signup)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        signup = null;

        if (!EmailAddress.TryNormalize(input.Email, out var email, out var emailError))
        {
            errors["email"] = [emailError];
        }

        var firstName = string.IsNullOrWhiteSpace(input.FirstName) ? null : input.FirstName.Trim();
        if (firstName is not null && firstName.Length > FirstNameMaxLength)
        {
            errors["firstName"] = [$"A first name has at most {FirstNameMaxLength} characters."];
        }
        else if (firstName is not null && Text.HasControlCharacters(firstName))
        {
            errors["firstName"] = ["The first name contains characters that are not allowed."];
        }

        DateTimeZone? zone = null;
        if (string.IsNullOrWhiteSpace(input.TimeZone))
        {
            errors["timeZone"] = ["A time zone is required, such as Europe/Paris."];
        }
        else if ((zone = zones.GetZoneOrNull(input.TimeZone.Trim())) is null)
        {
            errors["timeZone"] = ["This is not a known IANA time zone, such as Europe/Paris."];
        }

        // Optional: absent or empty is "not said"; anything else must be one of the four.
        Stage? stage = null;
        if (!string.IsNullOrEmpty(input.Stage) && (stage = Stages.Parse(input.Stage)) is null)
        {
            errors["stage"] = [$"Leave this out, or choose one of: {Stages.Expected}."];
        }

        if (errors.Count == 0)
        {
            signup = new ValidSignup(email!, firstName, zone!, input.Discreet, input.NoTracking, stage);
        }
        return errors;
    }
}
