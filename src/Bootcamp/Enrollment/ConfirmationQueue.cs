using System.Diagnostics;
using System.Threading.Channels;
using Bootcamp.Operations;
using Bootcamp.Persistence;
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
    private readonly Channel<PendingConfirmation> _ids = Channel.CreateUnbounded<PendingConfirmation>(new UnboundedChannelOptions { SingleReader = true });
    private int _pending;

    public void Add(long enrollmentId)
    {
        Interlocked.Increment(ref _pending);
        _ids.Writer.TryWrite(new PendingConfirmation(enrollmentId, Activity.Current?.Context ?? default));
    }

    /// <summary>Ids added and not yet enqueued as a job; counted until enqueued, since once read they are in neither place.</summary>
    internal int Pending => Volatile.Read(ref _pending);

    internal ChannelReader<PendingConfirmation> Reader => _ids.Reader;

    internal void HandedOver(int count) => Interlocked.Add(ref _pending, -count);
}

/// <summary>
/// Enqueues the gathered confirmations as soon as there are any: alone when sign-ups are few, in batches of
/// up to <see cref="MaxBatch"/> while many arrive together (they gather during the previous enqueue).
/// While the database holding the job storage is unreachable the batch in hand is kept and offered again
/// every <see cref="RetryInterval"/>; sign-ups answer 503 meanwhile, so little gathers behind it.
/// </summary>
public sealed class ConfirmationDispatcher(ConfirmationQueue queue, IBackgroundJobClient jobs, DatabaseOutage outage, TimeProvider time, ILogger<ConfirmationDispatcher> logger) : BackgroundService
{
    internal const int MaxBatch = 100;
    internal static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await DispatchAsync(reader, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: hand over what has gathered, trying each batch once; anything after this is left to housekeeping.
            await DispatchAsync(reader, stoppingToken);
        }
    }

    private async Task DispatchAsync(ChannelReader<PendingConfirmation> reader, CancellationToken stoppingToken)
    {
        var batch = new List<PendingConfirmation>(MaxBatch);
        while (reader.TryRead(out var pending))
        {
            batch.Add(pending);
            if (batch.Count == MaxBatch)
            {
                await EnqueueAsync([.. batch], stoppingToken);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            await EnqueueAsync([.. batch], stoppingToken);
        }
    }

    private async Task EnqueueAsync(PendingConfirmation[] batch, CancellationToken stoppingToken)
    {
        var ids = Array.ConvertAll(batch, p => p.EnrollmentId);
        try
        {
            while (!TryEnqueue(ids, batch))
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Stopping while the database is unreachable: {Count} confirmations are left to housekeeping", ids.Length);
                    return;
                }
                try
                {
                    await Task.Delay(RetryInterval, time, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    // One last try above, then stop.
                }
            }
        }
        finally
        {
            queue.HandedOver(ids.Length);
        }
    }

    /// <summary>False when the database is unreachable and the batch should be offered again.</summary>
    private bool TryEnqueue(long[] ids, PendingConfirmation[] batch)
    {
        // Linked to each sign-up's request; the job's span, and each send's within it, are this one's children.
        using var span = Tracing.Source.HasListeners()
            ? Tracing.Source.StartActivity("confirmations enqueue", ActivityKind.Producer, parentContext: default,
                links: [.. batch.Where(p => p.SignUp != default).Select(p => new ActivityLink(p.SignUp))])
            : null;
        span?.SetTag(Tracing.Count, ids.Length);
        try
        {
            jobs.Enqueue<ConfirmationJob>(job => job.SendBatchAsync(ids, CancellationToken.None));
            return true;
        }
        catch (Exception e) when (outage.Noted(e))
        {
            return false;
        }
        catch (Exception e)
        {
            // The job storage refused it: the record keeps the request, and housekeeping enqueues it later.
            logger.LogError(e, "Could not enqueue {Count} confirmations; housekeeping will retry them", ids.Length);
            return true;
        }
    }
}
