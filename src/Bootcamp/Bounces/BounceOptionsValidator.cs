using Bootcamp.Domain;
using Microsoft.Extensions.Options;

namespace Bootcamp.Bounces;

/// <summary>Each failure names its key, so start-up stops with a line an operator can act on.</summary>
public sealed class BounceOptionsValidator : IValidateOptions<BounceOptions>
{
    public ValidateOptionsResult Validate(string? name, BounceOptions options)
    {
        var failures = new List<string>();
        var imap = options.Imap;
        if (imap.Host is { } host && (Text.HasControlCharacters(host) || host.Any(char.IsWhiteSpace)))
        {
            failures.Add($"Bounces:Imap:Host: '{host}' is not a host name");
        }
        if (imap.Port is < 1 or > 65535)
        {
            failures.Add($"Bounces:Imap:Port: {imap.Port} is not a port (1-65535)");
        }
        if (!Enum.IsDefined(imap.Security))
        {
            failures.Add("Bounces:Imap:Security: use None, StartTls, SslOnConnect or Auto");
        }
        if (options.PollerEnabled && string.IsNullOrEmpty(imap.UserName))
        {
            failures.Add("Bounces:Imap:UserName: is required when Bounces:Imap:Host is set");
        }
        if (options.PollerEnabled && !string.IsNullOrEmpty(imap.UserName) && string.IsNullOrEmpty(imap.Password))
        {
            failures.Add("Bounces:Imap:Password: is required when Bounces:Imap:UserName is set");
        }
        if (string.IsNullOrWhiteSpace(imap.Folder) || Text.HasControlCharacters(imap.Folder))
        {
            failures.Add($"Bounces:Imap:Folder: '{imap.Folder}' is not a folder name such as INBOX");
        }
        if (imap.Timeout <= TimeSpan.Zero)
        {
            failures.Add("Bounces:Imap:Timeout: must be longer than zero, such as 00:00:30");
        }
        if (options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add("Bounces:PollInterval: must be longer than zero, such as 00:01:00");
        }
        if (options.VerpEnabled && ReturnPathCodec.Problem(options.ReturnPathTemplate) is { } problem)
        {
            failures.Add($"Bounces:ReturnPathTemplate: {problem}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
