using Bootcamp.Housekeeping;

namespace Bootcamp.UnitTests.Configuration;

public sealed class RetentionOptionsValidatorTests
{
    [Fact]
    public void Ninety_days_is_the_default_and_valid()
    {
        var options = new RetentionOptions();

        Assert.Equal(TimeSpan.FromDays(90), options.KeepEndedFor);
        Assert.True(new RetentionOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-1.00:00:00")]
    public void A_keep_ended_for_of_zero_or_less_is_named_by_its_key(string value)
    {
        var result = new RetentionOptionsValidator().Validate(null, new RetentionOptions { KeepEndedFor = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.StartsWith("Retention:KeepEndedFor:", Assert.Single(result.Failures!));
    }
}
