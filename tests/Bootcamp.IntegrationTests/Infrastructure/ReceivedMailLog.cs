using System.Diagnostics;
using System.Text;

namespace Bootcamp.IntegrationTests.Infrastructure;

// Accepted messages in arrival order. Appends never touch what a snapshot can see, so a snapshot is a
// view rather than a copy: waiting on a sink that receives thousands of messages stays cheap.
internal sealed class ReceivedMailLog
{
    private const int InitialCapacity = 64;
    private const int SummaryLines = 20;

    private readonly Lock gate = new();
    private ReceivedMail[] items = new ReceivedMail[InitialCapacity];
    private int count;
    private TaskCompletionSource arrived = NewSignal();

    public IReadOnlyList<ReceivedMail> Snapshot()
    {
        lock (gate)
        {
            return new ArraySegment<ReceivedMail>(items, 0, count);
        }
    }

    public void Add(ReceivedMail mail)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            if (count == items.Length)
            {
                Array.Resize(ref items, items.Length * 2);
            }

            items[count++] = mail;
            signal = arrived;
            arrived = NewSignal();
        }

        signal.SetResult();
    }

    public void Clear()
    {
        lock (gate)
        {
            // A new array, not Array.Clear: snapshots already handed out must not change under their owners.
            items = new ReceivedMail[InitialCapacity];
            count = 0;
        }
    }

    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(
        Func<IReadOnlyList<ReceivedMail>, bool> condition, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            IReadOnlyList<ReceivedMail> snapshot;
            Task next;
            lock (gate)
            {
                snapshot = new ArraySegment<ReceivedMail>(items, 0, count);
                next = arrived.Task;
            }

            if (condition(snapshot))
            {
                return snapshot;
            }

            var remaining = timeout - elapsed.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException(Summary(snapshot, timeout));
            }

            try
            {
                await next.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
                // One last look at the log before giving up: the condition is checked at the top of the loop.
            }
        }
    }

    private static string Summary(IReadOnlyList<ReceivedMail> mails, TimeSpan timeout)
    {
        var summary = new StringBuilder()
            .Append($"No mail matched the condition within {timeout.TotalSeconds:0.###} s; ")
            .Append($"{mails.Count} message(s) arrived");
        if (mails.Count > SummaryLines)
        {
            summary.Append($", the last {SummaryLines} of them");
        }

        summary.Append(mails.Count == 0 ? "." : ":");
        foreach (var mail in mails.Skip(Math.Max(0, mails.Count - SummaryLines)))
        {
            summary.Append("\n  ").Append(mail);
        }

        return summary.ToString();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
