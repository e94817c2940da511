using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Enrollment;
using Bootcamp.UnitTests.Delivery;

namespace Bootcamp.UnitTests.Enrollment;

public sealed class ConfirmationStoreTests : IAsyncLifetime
{
    private DeliveryRig _rig = null!;

    public async Task InitializeAsync() => _rig = await DeliveryRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task A_group_claim_returns_only_outstanding_requests_and_a_second_claim_finds_none()
    {
        var outstanding = await _rig.SeedPendingAsync("ann@example.org", requested: true);
        var notRequested = await _rig.SeedPendingAsync("bob@example.org", requested: false);
        var active = await _rig.SeedAsync(new EnrollmentBuilder().For("cat@example.org"));
        await using var db = _rig.Db();
        var store = new ConfirmationStore(db);

        var first = await store.ClaimAsync([outstanding, notRequested, active.Id, 999], _rig.Now, CancellationToken.None);
        var second = await store.ClaimAsync([outstanding], _rig.Now, CancellationToken.None);

        var claimed = Assert.Single(first);
        Assert.Equal((outstanding, "ann@example.org"), (claimed.Id, claimed.Email));
        Assert.Empty(second);
    }

    [Fact]
    public async Task A_released_request_can_be_claimed_again()
    {
        var id = await _rig.SeedPendingAsync("ann@example.org", requested: true);
        await using var db = _rig.Db();
        var store = new ConfirmationStore(db);
        Assert.Single(await store.ClaimAsync([id], _rig.Now, CancellationToken.None));

        await store.ReleaseAsync(id);

        Assert.Single(await store.ClaimAsync([id], _rig.Now, CancellationToken.None));
    }

    [Fact]
    public async Task The_suppression_list_names_which_of_several_addresses_it_holds_whatever_their_case()
    {
        await using var db = _rig.Db();
        var list = new SuppressionList(db, _rig.Hasher(), _rig.Time);
        await list.SuppressAsync("Gone@Example.org", "hard-bounce", CancellationToken.None);

        var found = await list.SuppressedAmongAsync(["ann@example.org", "gone@example.org"], CancellationToken.None);

        Assert.Equal(["gone@example.org"], found);
    }
}
