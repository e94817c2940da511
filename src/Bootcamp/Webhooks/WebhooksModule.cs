using Microsoft.Extensions.Options;
using Quartz;

namespace Bootcamp.Webhooks;

public static class WebhooksModule
{
    /// <summary>Outgoing webhooks, fed from the course record's outbox; nothing runs when no endpoint is configured.</summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        builder.Services.AddHttpClient(WebhookJob.HttpClientName, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("Bootcamp-Webhooks/1"))
            // The job's own timeout decides; the client's default of 100 s would only hide it.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddScoped<WebhookStore>();
        builder.Services.AddScoped<WebhookJob>();
        builder.Services.AddScoped<WebhookDispatchJob>();

        var endpoints = builder.Configuration.GetSection($"{WebhookOptions.Section}:Endpoints").GetChildren().Any();
        var worker = builder.Configuration.GetValue("Jobs:Worker", true);
        if (endpoints && worker)
        {
            var interval = builder.Configuration.GetValue("Webhooks:DispatchInterval", TimeSpan.FromSeconds(1));
            builder.Services.AddQuartz(q =>
            {
                var dispatch = new JobKey("dispatch-webhooks");
                q.AddJob<WebhookDispatchJob>(dispatch);
                q.AddTrigger(t => t.ForJob(dispatch).StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount()));
            });
        }
        return builder;
    }
}
