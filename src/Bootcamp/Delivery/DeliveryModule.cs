using Bootcamp.Courses;
using Bootcamp.Operations;
using Bootcamp.Security;
using Microsoft.Extensions.Options;

namespace Bootcamp.Delivery;

public static class DeliveryModule
{
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations();
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        builder.Services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<SmtpOptions>>().Value.UsePickupDirectory
            ? ActivatorUtilities.CreateInstance<PickupDirectoryTransport>(sp)
            : ActivatorUtilities.CreateInstance<SmtpTransport>(sp));
        builder.Services.AddOptions<DkimOptions>().BindConfiguration(DkimOptions.Section);
        builder.Services.AddSingleton(sp => new MessageFactory(sp.GetRequiredService<Senders>(), sp.GetRequiredService<AppSecrets>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<DkimOptions>>().Value.Enabled ? ActivatorUtilities.CreateInstance<MessageSigner>(sp) : null));
        builder.Services.AddSingleton<LinkTokens>();
        builder.Services.AddSingleton<AddressHasher>();
        builder.Services.AddSingleton<BootcampMetrics>();
        return builder;
    }
}

public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var failures = new List<string>();
        try
        {
            _ = options.ParsedRetryDelays();
        }
        catch (FormatException e)
        {
            failures.Add($"Delivery:RetryDelays: {e.Message}; write comma-separated waits such as 00:00:30,00:05:00");
        }
        if (options.DispatchInterval <= TimeSpan.Zero)
        {
            failures.Add("Delivery:DispatchInterval: must be longer than zero");
        }
        if (options.BatchSize is < 1 or > 10_000)
        {
            failures.Add("Delivery:BatchSize: must be between 1 and 10000");
        }
        if (options.ClaimLease < TimeSpan.FromSeconds(1))
        {
            failures.Add("Delivery:ClaimLease: must be at least one second");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
