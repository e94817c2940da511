using Bootcamp.Domain;
using Microsoft.Extensions.Options;

namespace Bootcamp.Admin;

public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public const int MinPasswordLength = 8;

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var hasEmail = !string.IsNullOrWhiteSpace(options.Email);
        var hasPassword = !string.IsNullOrEmpty(options.Password);
        if (hasEmail != hasPassword)
        {
            return ValidateOptionsResult.Fail(hasEmail ? "Admin:Password: is required when Admin:Email is set" : "Admin:Email: is required when Admin:Password is set");
        }
        if (hasEmail && !EmailAddress.TryNormalize(options.Email, out _, out _))
        {
            return ValidateOptionsResult.Fail($"Admin:Email: '{options.Email}' is not an email address");
        }
        if (hasPassword && options.Password!.Length < MinPasswordLength)
        {
            return ValidateOptionsResult.Fail($"Admin:Password: must have at least {MinPasswordLength} characters");
        }
        if (options.MaxFailedSignIns < 1)
        {
            return ValidateOptionsResult.Fail("Admin:MaxFailedSignIns: must be at least 1");
        }
        foreach (var (key, value) in new[]
        {
            ("LockoutDuration", options.LockoutDuration), ("MaxLockoutDuration", options.MaxLockoutDuration),
            ("SessionLifetime", options.SessionLifetime), ("IdleTimeout", options.IdleTimeout),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                return ValidateOptionsResult.Fail($"Admin:{key}: must be longer than zero");
            }
        }
        if (options.MaxLockoutDuration < options.LockoutDuration)
        {
            return ValidateOptionsResult.Fail("Admin:MaxLockoutDuration: must be at least Admin:LockoutDuration");
        }
        return ValidateOptionsResult.Success;
    }
}
