namespace Bootcamp.Delivery;

/// <summary>
/// This process's outgoing mail connections as the overview shows them: <see cref="Mode"/> "smtp" (with its
/// host, the pool's size, connections sending now and kept open idle) or "pickup" (files in a directory).
/// </summary>
public sealed record MailPoolState(string Mode, string Target, int MaxConnections, int Sending, int Idle);
