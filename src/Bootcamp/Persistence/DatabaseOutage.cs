namespace Bootcamp.Persistence;

/// <summary>
/// What this process knows about the database being away: requests, jobs and queues report here, and the
/// operator reads one warning when an outage starts and one line when it ends, not a stack trace per
/// request or per tick. A successful command (seen by <see cref="DatabaseOutageInterceptor"/>) ends it.
/// </summary>
public sealed class DatabaseOutage(TimeProvider time, ILogger<DatabaseOutage> logger)
{
    private readonly Lock _lock = new();
    private long _since = NotDown;
    private const long NotDown = long.MinValue;

    public bool IsDown => Interlocked.Read(ref _since) != NotDown;

    /// <summary>
    /// True when <paramref name="exception"/> says the database is unreachable; the first such report starts
    /// the outage and logs it. False for every other failure, which the caller handles as before.
    /// </summary>
    public bool Noted(Exception exception)
    {
        if (DatabaseErrors.Unreachable(exception) is not { } cause)
        {
            return false;
        }
        lock (_lock)
        {
            if (!IsDown)
            {
                Interlocked.Exchange(ref _since, time.GetTimestamp());
                logger.LogWarning("Database unreachable: {Reason}. Requests that need it answer 503 and background work waits until it is back", cause.Message);
            }
        }
        return true;
    }

    /// <summary>The database answered: ends an outage, if there was one. Cheap enough to call after every command.</summary>
    public void Answered()
    {
        if (!IsDown)
        {
            return;
        }
        lock (_lock)
        {
            var since = Interlocked.Exchange(ref _since, NotDown);
            if (since != NotDown)
            {
                logger.LogInformation("Database reachable again after {Seconds:0} s", time.GetElapsedTime(since).TotalSeconds);
            }
        }
    }
}
