namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>The host process could not be started, or stopped before it was ready; the message holds its last output.</summary>
public sealed class HostProcessException(string message) : Exception(message);
