using Microsoft.Extensions.Options;

namespace Bootcamp.Housekeeping;

/// <summary>Names the key, so start-up stops with a line an operator can act on.</summary>
public sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options) =>
        options.KeepEndedFor <= TimeSpan.Zero
            ? ValidateOptionsResult.Fail("Retention:KeepEndedFor: must be longer than zero, such as 90.00:00:00")
            : ValidateOptionsResult.Success;
}
