namespace Bootcamp.Courses;

/// <summary>
/// This process as the owner of the claims it takes (lessons, finished notes, webhook deliveries). It renews
/// a heartbeat while alive; another process takes over the claims of an owner whose heartbeat has stopped,
/// so a crash delays its readers by seconds instead of by the claim lease.
/// </summary>
public sealed class ClaimOwner
{
    /// <summary>How often the heartbeat is written.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>An owner silent this long is gone: its claims are free to take over.</summary>
    public static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(30);

    public string Id { get; } = Guid.NewGuid().ToString("N");
}
