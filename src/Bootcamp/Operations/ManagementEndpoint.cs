namespace Bootcamp.Operations;

/// <summary>
/// Marks an endpoint the management listener serves. Public ports answer 404 for it unless
/// <paramref name="AlsoPublic"/>; the management port answers 404 for everything unmarked.
/// </summary>
public sealed record ManagementEndpoint(bool AlsoPublic);
