using Bootcamp.Enrollment;
using Bootcamp.IntegrationTests.Infrastructure;
using Bootcamp.Operations;
using Bootcamp.Persistence;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bootcamp.IntegrationTests.Hosting;

/// <summary>
/// The real service on Kestrel on a loopback port, configured through command-line arguments exactly
/// as an operator would, with the campaign compressed into seconds.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string AdminEmail = "admin@example.org";
    public const string AdminPassword = "correct horse battery";

    private readonly WebApplication _app;

    private TestHost(WebApplication app, string baseUrl, string managementUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(baseUrl) };
        Management = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(managementUrl) };
    }

    public string BaseUrl { get; }

    /// <summary>The monitoring listener (Management:Urls), where /metrics lives.</summary>
    public HttpClient Management { get; }

    /// <summary>No cookies, no redirects followed: what a mail client or a provider's one-click POST looks like.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<TestHost> StartAsync(TestStorage storage, int? smtpPort, params string[] extra) =>
        StartAsync(storage, smtpPort, logs: null, configure: null, extra);

    /// <summary>As <see cref="StartAsync(TestStorage, int?, string[])"/>, with services replaced before the host is built (a <c>FakeTimeProvider</c>).</summary>
    public static Task<TestHost> StartWithAsync(Action<WebApplicationBuilder> configure, TestStorage storage, int? smtpPort, params string[] extra) =>
        StartAsync(storage, smtpPort, logs: null, configure, extra);

    /// <summary>As <see cref="StartAsync(TestStorage, int?, string[])"/>, with every log line also going to <paramref name="logs"/> from the first.</summary>
    public static Task<TestHost> StartLoggingToAsync(ILoggerProvider logs, TestStorage storage, int? smtpPort, params string[] extra) =>
        StartAsync(storage, smtpPort, logs, configure: null, extra);

    private static async Task<TestHost> StartAsync(TestStorage storage, int? smtpPort, ILoggerProvider? logs, Action<WebApplicationBuilder>? configure, string[] extra)
    {
        // A free port is free when asked, not always when Kestrel binds it a moment later (other hosts, sinks and
        // receivers of tests running alongside take ports too): on a clash, start again on new ones.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryStartAsync(storage, smtpPort, logs, configure, extra);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException && attempt < 5)
            {
            }
        }
    }

    private static async Task<TestHost> TryStartAsync(TestStorage storage, int? smtpPort, ILoggerProvider? logs, Action<WebApplicationBuilder>? configure, string[] extra)
    {
        var port = LoopbackPort.Free();
        var baseUrl = $"http://127.0.0.1:{port}";
        var managementUrl = $"http://127.0.0.1:{LoopbackPort.FreeOtherThan(port)}";
        var args = new List<string>
        {
            $"--contentRoot={RepositoryRoot.Path}",
            $"--Urls={baseUrl}",
            $"--Management:Urls={managementUrl}",
            $"--Campaign:PublicBaseUrl={baseUrl}",
            "--Campaign:DayLength=00:00:01",
            "--Campaign:PostalAddress=1 Test Street, Testville",
            "--Delivery:DispatchInterval=00:00:00.200",
            "--Delivery:RetryDelays=00:00:00.300,00:00:00.300,00:00:00.300,00:00:00.300",
            "--Delivery:ClaimLease=00:00:05",
            "--Jobs:QueuePollInterval=00:00:00.200",
            "--RateLimits:SignupsPerIpPerMinute=0",
            "--RateLimits:ConfirmationsPerAddressPerDay=0",
            "--RateLimits:TokenRequestsPerClientPerMinute=0",
            "--RateLimits:AdminSignInsPerClientPerMinute=0",
            "--RateLimits:AdminSignInsPerMinute=0",
            $"--Admin:Email={AdminEmail}",
            $"--Admin:Password={AdminPassword}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Bootcamp=Information",
        };
        args.AddRange(storage.Arguments());
        if (smtpPort is { } smtp)
        {
            args.AddRange(["--Smtp:Host=127.0.0.1", $"--Smtp:Port={smtp}", "--Smtp:Security=None", "--Smtp:MaxConnections=2"]);
        }
        else
        {
            args.Add($"--Smtp:PickupDirectory={TestScratch.NewPath("mail")}");
        }
        args.AddRange(extra);

        var app = BootcampApp.Build([.. args], configure);
        if (logs is not null)
        {
            app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        }
        try
        {
            await app.PrepareAsync();
            await app.StartAsync();
        }
        catch (IOException)
        {
            await app.DisposeAsync();
            throw;
        }
        return new TestHost(app, baseUrl, managementUrl);
    }

    /// <summary>A fresh database context, for reading the record the way an auditor would.</summary>
    public async Task<T> QueryAsync<T>(Func<BootcampDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BootcampDb>();
        return await query(db);
    }

    /// <summary>Runs something against one of the host's own services, in a scope of its own.</summary>
    public async Task<T> InScopeAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>
    /// Waits until no email can still be on its way: no confirmation waiting to become a job, and no job
    /// enqueued, running or waiting for a retry.
    /// </summary>
    public Task WaitUntilJobsAreDoneAsync(TimeSpan? deadline = null) =>
        Eventually.ReturnsAsync(() => Task.FromResult(Backlog()), backlog => backlog.IsEmpty, deadline, "the confirmation queue and the job server to drain");

    private JobBacklog Backlog()
    {
        var jobs = Services.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics();
        return new JobBacklog(Services.GetRequiredService<ConfirmationQueue>().Pending, jobs.Enqueued, jobs.Processing, jobs.Scheduled);
    }

    private sealed record JobBacklog(long Confirmations, long Enqueued, long Processing, long Scheduled)
    {
        public bool IsEmpty => Confirmations == 0 && Enqueued == 0 && Processing == 0 && Scheduled == 0;
    }

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Management.Dispose();
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            // Stopping took too long; disposing tears down what is left.
        }
        await _app.DisposeAsync();
    }

}
