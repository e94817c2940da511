using Bootcamp.Admin;
using Bootcamp.Delivery;
using Bootcamp.Jobs;
using Bootcamp.Lessons;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bootcamp.Operations;

public static class OperationsModule
{
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddRazorComponents();
        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(BootcampMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        if (Tracing.Enabled(builder.Configuration))
        {
            // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS and OTEL_BSP_* itself. Unset, nothing
            // listens to the spans, and none is built.
            telemetry
                .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "bootcamp"))
                .WithTracing(tracing => tracing
                    .AddSource(Tracing.SourceName)
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = RequestTracing.Traced;
                        o.EnrichWithHttpResponse = RequestTracing.WithoutTokens;
                    })
                    .AddOtlpExporter());
        }
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddHostedService<NativeHeapTrimmer>();
        builder.Services.AddHostedService<RecordProbe>();
        return builder;
    }

    /// <summary>
    /// Everything that must hold before the first request: valid configuration, the schema, the job
    /// storage, compiled templates and the admin account. A failure here stops start-up.
    /// </summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        ValidateConfiguration(app.Services);
        app.Services.WarnIfKeysUnencrypted();
        // The templates compile in a child process on the other core while the schema and job storage are prepared.
        var templates = app.Services.CompileTemplatesAsync();
        try
        {
            await app.Services.PrepareDatabaseAsync();
            await app.Services.PrepareJobStorageAsync();
        }
        catch
        {
            // The database's failure is the one to report; a template failure too would only be noise. The
            // compile is let finish (seconds), so its child process and temp folder do not outlive this one.
            _ = templates.ContinueWith(t => t.Exception, TaskScheduler.Default);
            await Task.WhenAny(templates, Task.Delay(TimeSpan.FromSeconds(30)));
            throw;
        }
        await templates;
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AdminAccounts>().EnsureConfiguredAccountAsync(CancellationToken.None);
    }

    /// <summary>Reads every options type once, so a bad value fails now rather than at the first email.</summary>
    private static void ValidateConfiguration(IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<CampaignOptions>>().Value;
        _ = services.GetRequiredService<IOptions<SmtpOptions>>().Value;
        _ = services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        _ = services.GetRequiredService<IOptions<AdminOptions>>().Value;
        _ = services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        _ = services.GetRequiredService<IOptions<Jobs.JobOptions>>().Value;
        _ = services.GetRequiredService<IOptions<Housekeeping.RetentionOptions>>().Value;
        _ = services.GetRequiredService<IOptions<Bounces.BounceOptions>>().Value;
        _ = services.GetRequiredService<IOptions<Webhooks.WebhookOptions>>().Value;
        // Loads the DKIM key when one is configured: an unreadable key or a missing selector stops start-up.
        _ = services.GetRequiredService<MessageFactory>();
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        // Health on both listeners (orchestrators probe the public port); metrics only on the management one.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(new ManagementEndpoint(AlsoPublic: true));
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).WithMetadata(new ManagementEndpoint(AlsoPublic: true));
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new ManagementEndpoint(AlsoPublic: false));
        app.MapPageAssets();
        return app;
    }

    /// <summary>One line naming the key, for the configuration errors an operator can make.</summary>
    public static string? DescribeStartupFailure(Exception exception) => exception switch
    {
        ConfigurationException e => $"Invalid configuration: {e.Message}",
        OptionsValidationException e => $"Invalid configuration: {string.Join("; ", e.Failures)}",
        // The binder's own message names the key: "Failed to convert configuration value '…' at 'Campaign:DayLength' to type …".
        InvalidOperationException e when e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => $"Invalid configuration: {e.Message}",
        _ => exception.InnerException is { } inner ? DescribeStartupFailure(inner) : null,
    };
}
