using Bootcamp.Enrollment;
using Bootcamp.Security;
using Bootcamp.UnitTests.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bootcamp.UnitTests.Enrollment;

public sealed class SignupBudgetTests : IAsyncLifetime
{
    private DeliveryRig _rig = null!;

    public async Task InitializeAsync() => _rig = await DeliveryRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task A_spent_budget_comes_back_when_its_day_is_over_and_housekeeping_forgets_the_ended_day()
    {
        var now = _rig.Now;
        Assert.True(await SpendAsync("victim@gmail.com", sending: true, now));
        Assert.False(await SpendAsync("v.ictim+again@gmail.com", sending: true, now.AddHours(23)));

        Assert.True(await SpendAsync("victim@gmail.com", sending: true, now.AddHours(24)));
        await using (var db = _rig.Db())
        {
            Assert.Equal(0, await Budget(db).PruneAsync(now.AddHours(47), CancellationToken.None));
            Assert.Equal(1, await Budget(db).PruneAsync(now.AddHours(48), CancellationToken.None));
            Assert.Equal(0, await db.SignupCounters.CountAsync());
        }
    }

    [Fact]
    public async Task A_sign_up_that_sends_nothing_spends_nothing_but_is_written_like_any_other()
    {
        var now = _rig.Now;
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await SpendAsync("enrolled@example.org", sending: false, now));
        }
        Assert.True(await SpendAsync("enrolled@example.org", sending: true, now));
        await using var db = _rig.Db();
        Assert.Equal(1, await db.SignupCounters.SumAsync(c => c.Confirmations));
    }

    private async Task<bool> SpendAsync(string address, bool sending, DateTime now)
    {
        await using var db = _rig.Db();
        return await Budget(db).SpendAsync(address, sending, now, CancellationToken.None);
    }

    private SignupBudget Budget(Bootcamp.Persistence.BootcampDb db) =>
        new(db, _rig.Hasher(), Options.Create(new RateLimitOptions { ConfirmationsPerAddressPerDay = 1 }));
}
