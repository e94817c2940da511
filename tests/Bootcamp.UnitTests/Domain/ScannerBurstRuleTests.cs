using Bootcamp.Domain;
using Microsoft.Extensions.Time.Testing;

namespace Bootcamp.UnitTests.Domain;

public sealed class ScannerBurstRuleTests
{
    private static readonly DateTimeOffset BuiltAt = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private static LinkFetch Fetch(int link, double secondsAfterBuild) => new(link, BuiltAt.AddSeconds(secondsAfterBuild));

    [Fact]
    public void Every_link_fetched_within_seconds_of_the_build_is_a_scanners_burst()
    {
        Assert.True(ScannerBurstRule.IsBurst(2, BuiltAt, [Fetch(0, 2), Fetch(1, 2.3)]));
    }

    [Fact]
    public void Every_link_of_a_three_link_mail_in_any_order_is_a_burst()
    {
        Assert.True(ScannerBurstRule.IsBurst(3, BuiltAt, [Fetch(2, 1), Fetch(0, 1.1), Fetch(1, 1.2)]));
    }

    [Fact]
    public void One_link_of_two_clicked_on_arrival_is_a_person()
    {
        Assert.False(ScannerBurstRule.IsBurst(2, BuiltAt, [Fetch(0, 3)]));
    }

    [Fact]
    public void One_link_fetched_again_and_again_does_not_stand_for_the_others()
    {
        Assert.False(ScannerBurstRule.IsBurst(3, BuiltAt, [Fetch(0, 1), Fetch(0, 1), Fetch(1, 2), Fetch(1, 2)]));
    }

    [Fact]
    public void Every_link_but_spread_past_the_window_is_a_person()
    {
        Assert.False(ScannerBurstRule.IsBurst(2, BuiltAt, [Fetch(0, 5), Fetch(1, 95)]));
    }

    [Fact]
    public void Every_link_clicked_long_after_delivery_is_a_person()
    {
        Assert.False(ScannerBurstRule.IsBurst(2, BuiltAt, [Fetch(0, 3600), Fetch(1, 3601)]));
    }

    [Fact]
    public void A_single_link_mail_fetched_at_once_is_never_a_burst()
    {
        Assert.False(ScannerBurstRule.IsBurst(1, BuiltAt, [Fetch(0, 0.5)]));
        Assert.False(ScannerBurstRule.IsBurst(0, BuiltAt, []));
    }

    [Fact]
    public void Link_indexes_the_mail_does_not_have_reach_nothing()
    {
        Assert.False(ScannerBurstRule.IsBurst(2, BuiltAt, [Fetch(0, 1), Fetch(2, 1), Fetch(-1, 1)]));
    }

    [Fact]
    public void A_fetch_at_the_very_end_of_the_window_is_inside_it_and_one_tick_later_is_not()
    {
        var end = BuiltAt + ScannerBurstRule.Window;

        Assert.True(ScannerBurstRule.IsBurst(2, BuiltAt, [Fetch(0, 1), new LinkFetch(1, end)]));
        Assert.False(ScannerBurstRule.IsBurst(2, BuiltAt, [Fetch(0, 1), new LinkFetch(1, end.AddTicks(1))]));
    }

    [Fact]
    public void A_fetch_stamped_slightly_before_the_build_by_a_lagging_clock_belongs_to_it_but_not_one_from_long_before()
    {
        var earliest = BuiltAt - ScannerBurstRule.ClockSkew;

        Assert.True(ScannerBurstRule.IsBurst(2, BuiltAt, [new LinkFetch(0, earliest), Fetch(1, 1)]));
        Assert.False(ScannerBurstRule.IsBurst(2, BuiltAt, [new LinkFetch(0, earliest.AddTicks(-1)), Fetch(1, 1)]));
    }

    [Fact]
    public void A_click_on_a_multi_link_mail_could_be_a_burst_only_until_the_window_closes()
    {
        var clock = new FakeTimeProvider(BuiltAt);
        var rule = new ScannerBurstRule(clock);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(rule.CouldBeBurst(2, BuiltAt));
        clock.SetUtcNow(BuiltAt + ScannerBurstRule.Window);
        Assert.True(rule.CouldBeBurst(2, BuiltAt));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(rule.CouldBeBurst(2, BuiltAt));
    }

    [Fact]
    public void A_click_on_a_single_link_mail_is_never_held_for_a_burst_even_on_arrival()
    {
        var rule = new ScannerBurstRule(new FakeTimeProvider(BuiltAt.AddSeconds(1)));

        Assert.False(rule.CouldBeBurst(1, BuiltAt));
        Assert.True(rule.CouldBeBurst(2, BuiltAt));
    }
}
