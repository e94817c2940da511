using Microsoft.Extensions.Options;

namespace Bootcamp.Bounces;

/// <summary>Asynchronous bounces: VERP return paths out, DSNs and complaints in from an IMAP mailbox.</summary>
public static class BouncesModule
{
    public static IHostApplicationBuilder AddBounces(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BounceOptions>().BindConfiguration(BounceOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BounceOptions>, BounceOptionsValidator>();
        builder.Services.AddSingleton<ReturnPaths>();
        builder.Services.AddScoped<BounceProcessor>();
        // Quartz fires it only when Bounces:Imap:Host is set (see JobsModule).
        builder.Services.AddScoped<ImapBouncePollJob>();
        return builder;
    }

    /// <summary>The poller's settings as configured, read before the container exists (for the Quartz trigger).</summary>
    public static BounceOptions ReadBounceOptions(this IConfiguration configuration) =>
        configuration.GetSection(BounceOptions.Section).Get<BounceOptions>() ?? new BounceOptions();
}
