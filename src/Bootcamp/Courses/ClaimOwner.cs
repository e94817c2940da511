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

    // Lessons this process's senders took, from just before the take until their job ends.
    private readonly ConcurrentDictionary<long, byte> _sending = new();

    /// <summary>
    /// The lessons a sender of this process holds now. A lesson this owner took that is not here lost its sender
    /// (its job died on a database error, say, not knowing whether the take committed): it is taken over at once,
    /// whereas the heartbeat would keep it this process's for the whole lease.
    /// </summary>
    public long[] SendingLessons => [.. _sending.Keys];

    internal void Sending(IEnumerable<long> lessonIds)
    {
        foreach (var id in lessonIds)
        {
            _sending.TryAdd(id, 0);
        }
    }

    internal void NoLongerSending(IEnumerable<long> lessonIds)
    {
        foreach (var id in lessonIds)
        {
            _sending.TryRemove(id, out _);
        }
    }
}
