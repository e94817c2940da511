using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bootcamp.Operations;

/// <summary>The readiness checks' verdict as the <c>bootcamp_ready</c> gauge, for an alert that needs no prober of its own.</summary>
public sealed class ReadinessPublisher(BootcampMetrics metrics) : IHealthCheckPublisher
{
    internal const string Tag = "ready";

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        metrics.Ready(report.Status == HealthStatus.Healthy);
        return Task.CompletedTask;
    }
}
