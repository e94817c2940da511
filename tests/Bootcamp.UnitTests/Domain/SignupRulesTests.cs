using Bootcamp.Domain;

namespace Bootcamp.UnitTests.Domain;

/// <summary>The contract's "who gets what" table, row by row.</summary>
public sealed class SignupRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_address_starts_a_new_enrollment()
    {
        Assert.Equal(SignupAction.StartNew, SignupRules.Decide(latest: null, lastConfirmationSentAt: null, Now));
    }

    [Fact]
    public void An_unsubscribed_address_starts_a_new_enrollment()
    {
        Assert.Equal(SignupAction.StartNew, SignupRules.Decide(EnrollmentStatus.Unsubscribed, Now.AddDays(-30), Now));
    }

    [Fact]
    public void An_address_whose_campaign_finished_starts_a_new_enrollment()
    {
        Assert.Equal(SignupAction.StartNew, SignupRules.Decide(EnrollmentStatus.Finished, Now.AddDays(-30), Now));
    }

    [Fact]
    public void A_pending_address_asked_more_than_an_hour_ago_gets_the_confirmation_again()
    {
        Assert.Equal(SignupAction.ResendConfirmation, SignupRules.Decide(EnrollmentStatus.Pending, Now.AddMinutes(-61), Now));
    }

    [Fact]
    public void A_pending_address_asked_exactly_an_hour_ago_gets_the_confirmation_again()
    {
        Assert.Equal(SignupAction.ResendConfirmation, SignupRules.Decide(EnrollmentStatus.Pending, Now.AddHours(-1), Now));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(59)]
    public void A_pending_address_asked_less_than_an_hour_ago_gets_nothing(int minutesAgo)
    {
        Assert.Equal(SignupAction.Nothing, SignupRules.Decide(EnrollmentStatus.Pending, Now.AddMinutes(-minutesAgo), Now));
    }

    [Fact]
    public void A_pending_address_never_sent_a_confirmation_gets_one()
    {
        Assert.Equal(SignupAction.ResendConfirmation, SignupRules.Decide(EnrollmentStatus.Pending, null, Now));
    }

    [Fact]
    public void An_address_in_an_active_campaign_gets_nothing()
    {
        Assert.Equal(SignupAction.Nothing, SignupRules.Decide(EnrollmentStatus.Active, Now.AddDays(-3), Now));
    }

    [Fact]
    public void A_paused_reader_signing_up_again_gets_nothing()
    {
        Assert.Equal(SignupAction.Nothing, SignupRules.Decide(EnrollmentStatus.Paused, Now.AddDays(-3), Now));
    }

    [Fact]
    public void A_bounced_address_no_longer_suppressed_starts_again()
    {
        Assert.Equal(SignupAction.StartNew, SignupRules.Decide(EnrollmentStatus.Bounced, Now.AddDays(-10), Now));
    }
}
