using Bootcamp.Bounces;
using Bootcamp.Delivery;
using Bootcamp.Housekeeping;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Bootcamp.Persistence;
using Hangfire.InMemory;
using Hangfire.PostgreSql.Factories;
using Hangfire.PostgreSql;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace Bootcamp.Jobs;

/// <summary>Hangfire executes (durably, retried); Quartz decides when (the service's calendar).</summary>
public static class JobsModule
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var storage = builder.Storage();
        var options = builder.Configuration.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions();
        var delivery = builder.Configuration.GetSection(DeliveryOptions.Section).Get<DeliveryOptions>() ?? new DeliveryOptions();
        var maxConnections = builder.Configuration.GetValue("Smtp:MaxConnections", 4);
        var bounces = builder.Configuration.ReadBounceOptions();
        if (!options.Worker && storage.Provider != StorageProvider.Postgres)
        {
            throw new ConfigurationException("Jobs:Worker", "a web-only process needs Storage:Provider=Postgres, where a worker process can pick up its jobs.");
        }
        builder.Services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section);
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();

        // Our own storage instance, registered before AddHangfire: Hangfire.AspNetCore would otherwise hand
        // out the static JobStorage.Current, which the last host configured in the process wins.
        builder.Services.AddSingleton<JobStorage>(_ => storage.Provider == StorageProvider.Postgres
            ? PostgresStorage(storage.ConnectionString, PostgresOptions(options))
            // Losing these jobs on restart is harmless: the dispatcher re-sends every claim past its lease.
            : new InMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = TimeSpan.FromHours(6) }));
        // Likewise the activator: jobs must be built from this host's container, never from the static one.
        builder.Services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        var tracing = Tracing.Enabled(builder.Configuration);
        builder.Services.AddHangfire((services, config) =>
        {
            config
                .UseLogProvider(new Hangfire.AspNetCore.AspNetCoreLogProvider(new TolerantLoggerFactory(services.GetRequiredService<ILoggerFactory>())))
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseStorage(services.GetRequiredService<JobStorage>());
            if (tracing)
            {
                config.UseFilter(new TraceContextJobFilter());
            }
        });

        builder.Services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("job-storage", tags: ["ready"]);

        if (options.Worker)
        {
            builder.Services.AddHangfireServer(o =>
            {
                o.Queues = ["confirmations", "lessons", "default"];
                o.WorkerCount = options.Workers > 0 ? options.Workers : Math.Max(2, maxConnections * 2);
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                // Inside the host's own shutdown timeout (set in Program), so a batch can finish its current message.
                o.ShutdownTimeout = TimeSpan.FromSeconds(10);
            });

            builder.Services.AddQuartz(q =>
            {
                // Unique per host: tests and benchmarks run several hosts in one process.
                q.SchedulerName = "bootcamp-" + Guid.NewGuid().ToString("N")[..8];
                var dispatch = new JobKey("dispatch-due-lessons");
                q.AddJob<DispatchDueLessonsJob>(dispatch);
                q.AddTrigger(t => t.ForJob(dispatch).StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(DispatchInterval(delivery, builder.Configuration)).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount()));
                var housekeeping = new JobKey("housekeeping");
                q.AddJob<HousekeepingJob>(housekeeping);
                q.AddTrigger(t => t.ForJob(housekeeping).StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(options.HousekeepingInterval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount()));
                var retention = new JobKey("retention");
                q.AddJob<RetentionJob>(retention);
                q.AddTrigger(t => t.ForJob(retention).StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(options.HousekeepingInterval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount()));
                if (bounces.PollerEnabled && bounces.PollInterval > TimeSpan.Zero)
                {
                    var bouncePoll = new JobKey("imap-bounce-poll");
                    q.AddJob<ImapBouncePollJob>(bouncePoll);
                    q.AddTrigger(t => t.ForJob(bouncePoll).StartNow()
                        .WithSimpleSchedule(s => s.WithInterval(bounces.PollInterval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount()));
                }
            });
            builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            builder.Services.AddHostedService<QuartzLoggingGuard>();
        }
        builder.Services.AddScoped<DispatchDueLessonsJob>();
        builder.Services.AddScoped<HousekeepingJob>();
        builder.Services.AddScoped<RetentionJob>();
        return builder;
    }

    /// <summary>
    /// In demo spacing (a "day" of seconds) a 5-second dispatch tick would stretch every day; the tick
    /// then follows the day: a quarter of it, never under 100 ms.
    /// </summary>
    internal static TimeSpan DispatchInterval(DeliveryOptions delivery, IConfiguration configuration)
    {
        var dayLength = configuration.GetValue("Campaign:DayLength", TimeSpan.FromDays(1));
        if (dayLength <= TimeSpan.Zero || dayLength >= TimeSpan.FromDays(1))
        {
            return delivery.DispatchInterval;
        }
        var followDay = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, dayLength.Ticks / 4));
        return followDay < delivery.DispatchInterval ? followDay : delivery.DispatchInterval;
    }

    private static PostgreSqlStorage PostgresStorage(string connectionString, PostgreSqlStorageOptions options) =>
        new(new NpgsqlConnectionFactory(connectionString, options), options);

    private static PostgreSqlStorageOptions PostgresOptions(JobOptions options) => new()
    {
        SchemaName = "hangfire",
        // Hangfire.PostgreSql polls every 15 s by default: far too slow for "lesson 1 at once".
        QueuePollInterval = options.QueuePollInterval,
        // Its installer takes no cross-process lock; PrepareJobStorageAsync runs it under ours.
        PrepareSchemaIfNecessary = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(30),
    };

    /// <summary>Creates Hangfire's PostgreSQL schema once, under an advisory lock, before any process serves.</summary>
    public static async Task PrepareJobStorageAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        Quartz.Logging.LogContext.SetCurrentLogProvider(new TolerantLoggerFactory(services.GetRequiredService<ILoggerFactory>()));
        var storage = services.GetRequiredService<StorageSettings>();
        if (storage.Provider != StorageProvider.Postgres)
        {
            _ = services.GetRequiredService<JobStorage>();
            return;
        }
        await using var connection = new NpgsqlConnection(storage.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLocks.JobSchema})", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            _ = services.GetRequiredService<JobStorage>();
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLocks.JobSchema})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                // Hangfire's storage API blocks; off the request thread, so the check's timeout can answer for it.
                await Task.Run(() =>
                {
                    using var connection = storage.GetConnection();
                    _ = connection.GetAllItemsFromSet("recurring-jobs");
                }, cancellationToken).WaitAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException || DatabaseErrors.Unreachable(e) is not null)
            {
                // The reason without the exception: the health service logs a result's exception, stack and all, on every probe.
                return HealthCheckResult.Unhealthy($"Job storage does not answer: {(DatabaseErrors.Unreachable(e) ?? e).Message}");
            }
        }
    }
}
