using Bootcamp.Admin;
using Bootcamp.Admin.Accounts;

namespace Bootcamp.UnitTests.Admin;

public sealed class SignInLockoutTests
{
    private static readonly AdminOptions Options = new()
    {
        MaxFailedSignIns = 5,
        LockoutDuration = TimeSpan.FromMinutes(15),
        MaxLockoutDuration = TimeSpan.FromHours(2),
    };

    [Fact]
    public void No_lock_before_the_threshold_then_one_that_doubles_with_each_failure_up_to_the_longest()
    {
        var locks = Enumerable.Range(1, 10).Select(failures => SignInLockout.LockFor(Options, failures)).ToList();

        Assert.All(locks.Take(4), l => Assert.Null(l));
        Assert.Equal(
            [TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(2), TimeSpan.FromHours(2)],
            locks.Skip(4).Select(l => l!.Value));
    }

    [Fact]
    public void A_huge_count_stays_at_the_longest_lock()
    {
        Assert.Equal(TimeSpan.FromHours(2), SignInLockout.LockFor(Options, int.MaxValue));
    }
}
