using Bootcamp.Enrollment;
using Bootcamp.Persistence;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace Bootcamp.UnitTests.Enrollment;

public sealed class ConfirmationDispatcherTests
{
    private readonly ConfirmationQueue _queue = new();
    private readonly IBackgroundJobClient _jobs = Substitute.For<IBackgroundJobClient>();
    private readonly List<long[]> _enqueued = [];

    public ConfirmationDispatcherTests() =>
        _jobs.Create(Arg.Any<Job>(), Arg.Any<IState>()).Returns(call =>
        {
            var job = call.Arg<Job>();
            Assert.Equal(nameof(ConfirmationJob.SendBatchAsync), job.Method.Name);
            lock (_enqueued)
            {
                _enqueued.Add((long[])job.Args[0]);
            }
            return "job";
        });

    [Fact]
    public async Task Sign_ups_that_gathered_go_out_as_one_job_holding_every_id_once()
    {
        foreach (var id in new long[] { 7, 8, 9 })
        {
            _queue.Add(id);
        }

        await RunUntilAsync(() => _enqueued.Sum(b => b.Length) == 3);

        Assert.Equal([7L, 8L, 9L], Assert.Single(_enqueued));
    }

    [Fact]
    public async Task A_crowd_of_sign_ups_is_split_into_batches_of_at_most_the_maximum()
    {
        var count = ConfirmationDispatcher.MaxBatch * 2 + 5;
        for (var id = 1; id <= count; id++)
        {
            _queue.Add(id);
        }

        await RunUntilAsync(() => _enqueued.Sum(b => b.Length) == count);

        Assert.All(_enqueued, batch => Assert.InRange(batch.Length, 1, ConfirmationDispatcher.MaxBatch));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), _enqueued.SelectMany(b => b));
    }

    [Fact]
    public async Task A_confirmation_counts_as_pending_until_its_job_is_enqueued_or_the_storage_refused_it()
    {
        _jobs.Create(Arg.Any<Job>(), Arg.Any<IState>()).Returns(_ => throw new InvalidOperationException("storage down"), _ => "job");
        _queue.Add(1);
        _queue.Add(2);
        Assert.Equal(2, _queue.Pending);

        await using var running = await StartAsync();
        await Eventually(() => _queue.Pending == 0);
        _queue.Add(3);
        await Eventually(() => _queue.Pending == 0);

        _jobs.Received(2).Create(Arg.Any<Job>(), Arg.Any<IState>());
    }

    [Fact]
    public async Task A_sign_up_after_a_quiet_spell_is_enqueued_at_once_on_its_own()
    {
        await using var running = await StartAsync();
        _queue.Add(1);
        await Eventually(() => _enqueued.Count == 1);
        _queue.Add(2);
        await Eventually(() => _enqueued.Count == 2);

        Assert.Equal([[1L], [2L]], _enqueued);
    }

    [Fact]
    public async Task When_the_job_storage_is_down_the_dispatcher_keeps_running_for_the_next_sign_up()
    {
        var calls = 0;
        _jobs.Create(Arg.Any<Job>(), Arg.Any<IState>()).Returns(_ => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("storage down")
            : "job");
        await using var running = await StartAsync();

        _queue.Add(1);
        await Eventually(() => Volatile.Read(ref calls) == 1);
        _queue.Add(2);

        await Eventually(() => Volatile.Read(ref calls) == 2);
    }

    [Fact]
    public async Task While_the_database_is_unreachable_a_batch_is_kept_and_enqueued_once_it_answers_again()
    {
        var calls = 0;
        _jobs.Create(Arg.Any<Job>(), Arg.Any<IState>()).Returns(call =>
        {
            if (Interlocked.Increment(ref calls) <= 2)
            {
                throw new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));
            }
            lock (_enqueued)
            {
                _enqueued.Add((long[])call.Arg<Job>().Args[0]);
            }
            return "job";
        });
        _queue.Add(1);
        _queue.Add(2);

        await RunUntilAsync(() => _enqueued.Count == 1);

        Assert.Equal([1L, 2L], Assert.Single(_enqueued));
        Assert.Equal(0, _queue.Pending);
    }

    private async Task RunUntilAsync(Func<bool> condition)
    {
        await using var running = await StartAsync();
        await Eventually(condition);
    }

    private async Task<Running> StartAsync()
    {
        var dispatcher = new ConfirmationDispatcher(_queue, _jobs, new DatabaseOutage(TimeProvider.System, NullLogger<DatabaseOutage>.Instance), TimeProvider.System,
            NullLogger<ConfirmationDispatcher>.Instance);
        await dispatcher.StartAsync(CancellationToken.None);
        return new Running(dispatcher);
    }

    private async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            lock (_enqueued)
            {
                if (condition())
                {
                    return;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(10);
        }
    }

    private sealed class Running(ConfirmationDispatcher dispatcher) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await dispatcher.StopAsync(CancellationToken.None);
            dispatcher.Dispose();
        }
    }
}
