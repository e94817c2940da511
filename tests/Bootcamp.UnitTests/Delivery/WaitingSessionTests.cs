using Bootcamp.Delivery;
using Bootcamp.Domain;
using NSubstitute;

namespace Bootcamp.UnitTests.Delivery;

/// <summary>An admin waiting on a resend or a test is told the connections are busy, rather than kept waiting behind a burst.</summary>
public sealed class WaitingSessionTests
{
    [Fact]
    public async Task A_pool_with_no_free_connection_is_a_transient_failure_after_the_wait()
    {
        var busy = Substitute.For<IMailTransport>();
        busy.OpenSessionAsync(Arg.Any<CancellationToken>()).Returns(call => new ValueTask<IMailSession>(WaitForeverAsync(call.Arg<CancellationToken>())));

        var refused = await Assert.ThrowsAsync<DeliveryException>(() => busy.OpenSessionForAdminAsync(CancellationToken.None, TimeSpan.FromMilliseconds(100)).AsTask());

        Assert.Equal(FailureKind.Transient, refused.Failure.Kind);
        Assert.Equal("every SMTP connection stayed busy for 0.1 s", refused.Failure.Message);
    }

    [Fact]
    public async Task An_admin_who_gives_up_cancels_rather_than_fails()
    {
        var busy = Substitute.For<IMailTransport>();
        busy.OpenSessionAsync(Arg.Any<CancellationToken>()).Returns(call => new ValueTask<IMailSession>(WaitForeverAsync(call.Arg<CancellationToken>())));
        using var gaveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => busy.OpenSessionForAdminAsync(gaveUp.Token, TimeSpan.FromSeconds(30)).AsTask());
    }

    private static async Task<IMailSession> WaitForeverAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}
