using Bootcamp.Delivery;

namespace Bootcamp.UnitTests.Delivery;

public sealed class DeliveryOptionsTests
{
    [Fact]
    public void Retry_delays_are_read_in_order()
    {
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromDays(1)], DeliveryOptions.ParseDelays("00:00:30,00:05:00,1.00:00:00"));
    }

    [Fact]
    public void Spaces_and_empty_items_in_the_retry_delays_are_ignored()
    {
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)], DeliveryOptions.ParseDelays(" 00:01:00 ,, 00:02:00 ,"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_retry_delays_means_no_retries(string? value)
    {
        Assert.Empty(DeliveryOptions.ParseDelays(value));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("00:01:00,later")]
    [InlineData("-00:01:00")]
    [InlineData("00:61:00")]
    public void A_retry_delay_that_is_not_a_wait_is_refused_and_quoted(string value)
    {
        var error = Assert.Throws<FormatException>(() => DeliveryOptions.ParseDelays(value));

        Assert.Contains($"'{value.Split(',')[^1]}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_retry_delays_parse()
    {
        Assert.Equal(5, new DeliveryOptions().ParsedRetryDelays().Length);
    }

    [Fact]
    public void The_default_delivery_options_are_valid()
    {
        Assert.True(new DeliveryOptionsValidator().Validate(null, new DeliveryOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Delivery:RetryDelays")]
    [InlineData("Delivery:DispatchInterval")]
    [InlineData("Delivery:BatchSize")]
    [InlineData("Delivery:ClaimLease")]
    public void A_bad_delivery_option_stops_start_up_with_a_line_naming_its_key(string key)
    {
        var options = new DeliveryOptions();
        switch (key)
        {
            case "Delivery:RetryDelays": options.RetryDelays = "00:00:30,soon"; break;
            case "Delivery:DispatchInterval": options.DispatchInterval = TimeSpan.Zero; break;
            case "Delivery:BatchSize": options.BatchSize = 0; break;
            case "Delivery:ClaimLease": options.ClaimLease = TimeSpan.FromMilliseconds(500); break;
        }

        var result = new DeliveryOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(key + ":", failure, StringComparison.Ordinal);
    }
}
