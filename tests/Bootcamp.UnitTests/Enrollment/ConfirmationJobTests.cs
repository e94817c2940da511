using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Enrollment;
using Bootcamp.UnitTests.Delivery;
using Hangfire.Common;
using Hangfire.States;
using Hangfire;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace Bootcamp.UnitTests.Enrollment;

public sealed class ConfirmationJobTests : IAsyncLifetime
{
    private DeliveryRig _rig = null!;
    private readonly IBackgroundJobClient _jobs = Substitute.For<IBackgroundJobClient>();
    private readonly List<Job> _enqueued = [];

    public async Task InitializeAsync()
    {
        _rig = await DeliveryRig.StartAsync();
        _jobs.Create(Arg.Any<Job>(), Arg.Any<IState>()).Returns(call =>
        {
            _enqueued.Add(call.Arg<Job>());
            return "job";
        });
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task In_a_batch_a_deferred_confirmation_is_given_back_and_goes_on_alone_while_the_others_are_sent()
    {
        var ann = await _rig.SeedPendingAsync("ann@example.org");
        var bob = await _rig.SeedPendingAsync("bob@example.org");
        var cat = await _rig.SeedPendingAsync("cat@example.org");
        _rig.Reject("bob@example.org", 451, "4.3.0 Try again later");

        await RunAsync(job => job.SendBatchAsync([ann, bob, cat], CancellationToken.None));

        Assert.Equal(["ann@example.org", "cat@example.org"], _rig.Accepted.Select(m => m.To.Mailboxes.Single().Address));
        var alone = Assert.Single(_enqueued);
        Assert.Equal((nameof(ConfirmationJob.SendAsync), bob), (alone.Method.Name, (long)alone.Args[0]));
        Assert.Null((await _rig.EnrollmentAsync(bob)).ConfirmationSentAt);
    }

    [Fact]
    public async Task Alone_a_deferred_confirmation_is_given_back_and_thrown_for_hangfire_to_retry()
    {
        var bob = await _rig.SeedPendingAsync("bob@example.org");
        _rig.Reject("bob@example.org", 451, "4.3.0 Try again later");

        await Assert.ThrowsAsync<DeliveryException>(() => RunAsync(job => job.SendAsync(bob, CancellationToken.None)));

        Assert.Null((await _rig.EnrollmentAsync(bob)).ConfirmationSentAt);
        Assert.Empty(_enqueued);
        _rig.StopRejecting();
        await RunAsync(job => job.SendAsync(bob, CancellationToken.None));
        Assert.Equal("bob@example.org", Assert.Single(_rig.Accepted).To.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task A_suppressed_address_and_a_request_already_sent_get_nothing()
    {
        var gone = await _rig.SeedPendingAsync("gone@example.org");
        var ann = await _rig.SeedPendingAsync("ann@example.org");
        await using (var db = _rig.Db())
        {
            await new SuppressionList(db, _rig.Hasher(), _rig.Time).SuppressAsync("gone@example.org", "hard-bounce", CancellationToken.None);
        }
        await RunAsync(job => job.SendBatchAsync([gone, ann], CancellationToken.None));

        await RunAsync(job => job.SendBatchAsync([gone, ann], CancellationToken.None));

        Assert.Equal("ann@example.org", Assert.Single(_rig.Accepted).To.Mailboxes.Single().Address);
    }

    private async Task RunAsync(Func<ConfirmationJob, Task> run)
    {
        await using var db = _rig.Db();
        var job = new ConfirmationJob(new ConfirmationStore(db), _rig.Renderer, _rig.Messages(), _rig.Tokens, _rig.Transport, _jobs,
            new SuppressionList(db, _rig.Hasher(), _rig.Time), _rig.Record(db), Options.Create(_rig.Campaign), _rig.Time, _rig.Metrics(), NullLogger<ConfirmationJob>.Instance);
        await run(job);
    }
}
