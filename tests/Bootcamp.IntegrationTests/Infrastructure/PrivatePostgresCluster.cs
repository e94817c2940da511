namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster for one test class alone (an xUnit class fixture), which its tests may stop and start as a
/// database outage, leaving every other test's server alone.
/// </summary>
public sealed class PrivatePostgresCluster : IAsyncLifetime
{
    internal PostgresCluster Cluster { get; private set; } = null!;

    // Its tests stop the server under the service and expect what it acknowledged back.
    public async Task InitializeAsync() => Cluster = await Task.Run(() => PostgresCluster.Start(ClusterSettings.SurvivesServerCrash));

    public Task DisposeAsync()
    {
        Cluster.Dispose();
        return Task.CompletedTask;
    }
}
