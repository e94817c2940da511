using System.Collections.Concurrent;

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

    // Lessons this process's senders took and then died holding (ids as keys; the value is unused).
    private readonly ConcurrentDictionary<long, byte> _abandoned = new();

    /// <summary>
    /// Lessons a sender of this process took and may not have recorded before its job died (on a database error,
    /// not knowing whether its statements committed). This process's heartbeat goes on, so no other process
    /// would take them before the lease: its own dispatcher takes them back at its next look.
    /// </summary>
    public long[] Abandoned => [.. _abandoned.Keys];

    internal void Abandon(IEnumerable<long> lessonIds)
    {
        foreach (var id in lessonIds)
        {
            _abandoned.TryAdd(id, 0);
        }
    }

    /// <summary>Taken back (or found sent or moved on meanwhile): nothing more to do for these.</summary>
    internal void Forget(IEnumerable<long> lessonIds)
    {
        foreach (var id in lessonIds)
        {
            _abandoned.TryRemove(id, out _);
        }
    }
}
