using Bootcamp.Domain;

namespace Bootcamp.UnitTests.Domain;

public sealed class EnrollmentRulesTests
{
    [Theory]
    [InlineData(EnrollmentStatus.Active, true)]
    [InlineData(EnrollmentStatus.Pending, false)]
    [InlineData(EnrollmentStatus.Finished, false)]
    [InlineData(EnrollmentStatus.Unsubscribed, false)]
    [InlineData(EnrollmentStatus.Bounced, false)]
    public void Lessons_go_out_only_while_the_enrollment_is_active(EnrollmentStatus status, bool maySend)
    {
        Assert.Equal(maySend, EnrollmentRules.MaySendLessons(status));
    }

    [Theory]
    [InlineData(EnrollmentStatus.Pending, true)]
    [InlineData(EnrollmentStatus.Active, false)]
    [InlineData(EnrollmentStatus.Finished, false)]
    [InlineData(EnrollmentStatus.Unsubscribed, false)]
    [InlineData(EnrollmentStatus.Bounced, false)]
    public void Only_a_pending_enrollment_can_be_confirmed(EnrollmentStatus status, bool canConfirm)
    {
        Assert.Equal(canConfirm, EnrollmentRules.CanConfirm(status));
    }

    [Theory]
    [InlineData(EnrollmentStatus.Pending)]
    [InlineData(EnrollmentStatus.Active)]
    [InlineData(EnrollmentStatus.Unsubscribed)]
    public void Unsubscribing_ends_in_unsubscribed(EnrollmentStatus status)
    {
        Assert.Equal(EnrollmentStatus.Unsubscribed, EnrollmentRules.Unsubscribe(status));
    }

    [Fact]
    public void Unsubscribing_twice_changes_nothing_the_second_time()
    {
        var once = EnrollmentRules.Unsubscribe(EnrollmentStatus.Active);

        Assert.Equal(once, EnrollmentRules.Unsubscribe(once));
    }

    [Fact]
    public void A_finished_course_stays_finished_when_unsubscribed()
    {
        Assert.Equal(EnrollmentStatus.Finished, EnrollmentRules.Unsubscribe(EnrollmentStatus.Finished));
    }

    [Fact]
    public void A_bounced_enrollment_stays_bounced_when_unsubscribed()
    {
        Assert.Equal(EnrollmentStatus.Bounced, EnrollmentRules.Unsubscribe(EnrollmentStatus.Bounced));
    }
}
