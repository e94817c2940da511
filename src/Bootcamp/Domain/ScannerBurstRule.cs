namespace Bootcamp.Domain;

/// <summary>
/// Link scanners (Safe Links, Proofpoint, Mimecast) follow every link of a mail within seconds of its
/// delivery. A mail whose fetches within <see cref="Window"/> of it being built cover all of its
/// links was scanned, and those early clicks are the scanner's. A person clicking one link on arrival
/// is a person. Pure: callers hand it the mail's link count, build time (from the click token) and fetches.
/// </summary>
public sealed class ScannerBurstRule(TimeProvider time)
{
    /// <summary>
    /// How long after the mail was built a burst may run: the send, the receiving gateway and its scan
    /// take seconds; reading a lesson and clicking every one of its links takes a person longer.
    /// Measured from the build (the token's time), moments before the send, so it errs towards people.
    /// </summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    /// <summary>How far before the build a fetch still belongs to it: other processes' clocks may run a little behind.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after its mail's build a burst may still be taking early clicks back: its last fetch comes up to
    /// Window after the build, by a clock that may run ClockSkew behind ours, and commits a moment later.
    /// </summary>
    public static readonly TimeSpan TakeBackReach = Window + ClockSkew + ClockSkew;

    /// <summary>
    /// A mail with one link shows no pattern: a scanner fetching it and a reader clicking it on arrival
    /// look the same, and calling every quick click on such a mail a scanner would drop real readers.
    /// HEAD requests and known scanner agents are still caught there.
    /// </summary>
    public const int MinimumLinks = 2;

    /// <summary>
    /// Whether a click on this mail, made now, could belong to a burst. Only those need the mail's other
    /// clicks looked at; any other click is decided on its own.
    /// </summary>
    public bool CouldBeBurst(int linkCount, DateTimeOffset builtAt) =>
        linkCount >= MinimumLinks && IsWithinWindow(builtAt, time.GetUtcNow());

    /// <summary>Whether a click on this mail, made now, might still see the mail's early counted clicks taken back.</summary>
    public bool MayStillTakeBack(int linkCount, DateTimeOffset builtAt) =>
        linkCount >= MinimumLinks && time.GetUtcNow() - builtAt <= TakeBackReach;

    public static bool IsWithinWindow(DateTimeOffset builtAt, DateTimeOffset at)
    {
        var sinceBuilt = at - builtAt;
        return sinceBuilt >= -ClockSkew && sinceBuilt <= Window;
    }

    /// <summary>True when the fetches inside the mail's window reach every one of its links.</summary>
    /// <param name="fetches">Every fetch of the mail's links so far, counted or already flagged (HEAD, scanner agents).</param>
    public static bool IsBurst(int linkCount, DateTimeOffset builtAt, IEnumerable<LinkFetch> fetches)
    {
        if (linkCount < MinimumLinks)
        {
            return false;
        }
        var reached = new bool[linkCount];
        var count = 0;
        foreach (var fetch in fetches)
        {
            if (fetch.LinkIndex >= 0 && fetch.LinkIndex < linkCount && !reached[fetch.LinkIndex] && IsWithinWindow(builtAt, fetch.At))
            {
                reached[fetch.LinkIndex] = true;
                if (++count == linkCount)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
