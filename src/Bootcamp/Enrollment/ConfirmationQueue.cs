using System.Threading.Channels;
using Hangfire;

namespace Bootcamp.Enrollment;

/// <summary>
/// Sign-ups hand their confirmation here and return at once; <see cref="ConfirmationDispatcher"/> turns
/// whatever has gathered into one Hangfire job. A Hangfire enqueue per sign-up blocked a request thread
/// on the job storage (Hangfire.InMemory serialises every write on one thread) and, under load, starved
/// the thread pool. Ids only; one that is lost with the process (it was never enqueued) is found by
/// housekeeping, since the record still says its confirmation was requested and not sent.
/// </summary>
public sealed class ConfirmationQueue
{
    private readonly Channel<long> _ids = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private int _pending;

    public void Add(long enrollmentId)
    {
        Interlocked.Increment(ref _pending);
        _ids.Writer.TryWrite(enrollmentId);
    }

    /// <summary>Ids added and not yet enqueued as a job; counted until enqueued, since once read they are in neither place.</summary>
    internal int Pending => Volatile.Read(ref _pending);

    internal ChannelReader<long> Reader => _ids.Reader;

    internal void HandedOver(int count) => Interlocked.Add(ref _pending, -count);
}

/// <summary>
/// Enqueues the gathered confirmations as soon as there are any: alone when sign-ups are few, in batches of
/// up to <see cref="MaxBatch"/> while many arrive together (they gather during the previous enqueue).
/// </summary>
public sealed class ConfirmationDispatcher(ConfirmationQueue queue, IBackgroundJobClient jobs, ILogger<ConfirmationDispatcher> logger) : BackgroundService
{
    internal const int MaxBatch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                Dispatch(reader);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: hand over what has gathered; anything after this is left to housekeeping.
            Dispatch(reader);
        }
    }

    private void Dispatch(ChannelReader<long> reader)
    {
        var batch = new List<long>(MaxBatch);
        while (reader.TryRead(out var id))
        {
            batch.Add(id);
            if (batch.Count == MaxBatch)
            {
                Enqueue([.. batch]);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            Enqueue([.. batch]);
        }
    }

    private void Enqueue(long[] ids)
    {
        try
        {
            jobs.Enqueue<ConfirmationJob>(job => job.SendBatchAsync(ids, CancellationToken.None));
        }
        catch (Exception e)
        {
            // The job storage is down: the record keeps the request, and housekeeping enqueues it later.
            logger.LogError(e, "Could not enqueue {Count} confirmations; housekeeping will retry them", ids.Length);
        }
        finally
        {
            queue.HandedOver(ids.Length);
        }
    }
}
