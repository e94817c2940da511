using Bootcamp.Lessons;
using Microsoft.Extensions.Options;

namespace Bootcamp.UnitTests.Configuration;

public sealed class CampaignOptionsValidatorTests
{
    [Fact]
    public void The_default_campaign_options_are_valid()
    {
        Assert.True(Validate(new CampaignOptions()).Succeeded);
    }

    [Theory]
    [InlineData("https://bootcamp.example.org")]
    [InlineData("https://example.org/bootcamp/")]
    [InlineData("http://localhost:5000")]
    public void An_absolute_http_url_is_a_valid_public_base_url(string url)
    {
        Assert.True(Validate(new CampaignOptions { PublicBaseUrl = url }).Succeeded);
    }

    [Theory]
    [InlineData("bootcamp.example.org")]
    [InlineData("/bootcamp")]
    [InlineData("ftp://example.org")]
    [InlineData("https://example.org/?ref=mail")]
    [InlineData("https://example.org/#top")]
    [InlineData("")]
    public void A_bad_public_base_url_is_named_by_its_key(string url)
    {
        AssertSingleFailureStartsWith("Campaign:PublicBaseUrl:", new CampaignOptions { PublicBaseUrl = url });
    }

    [Theory]
    [InlineData("bootcamp")]
    [InlineData("Bootcamp <bootcamp>")]
    [InlineData("")]
    [InlineData("Bootcamp <bootcamp@example.org>\r\nBcc: x@y.org")]
    [InlineData("not an address at all")]
    public void A_bad_sender_is_named_by_its_key(string from)
    {
        AssertSingleFailureStartsWith("Campaign:From:", new CampaignOptions { From = from });
        AssertSingleFailureStartsWith("Campaign:DiscreetFrom:", new CampaignOptions { DiscreetFrom = from });
    }

    [Theory]
    [InlineData("Surviving Infidelity Bootcamp <bootcamp@example.org>")]
    [InlineData("bootcamp@example.org")]
    public void A_sender_with_or_without_a_name_is_valid(string from)
    {
        Assert.True(Validate(new CampaignOptions { From = from }).Succeeded);
    }

    [Theory]
    [InlineData("25:00")]
    [InlineData("08:60")]
    [InlineData("8am")]
    [InlineData("08:00:00")]
    [InlineData("")]
    public void A_send_time_that_is_not_a_time_of_day_is_named_by_its_key(string sendAt)
    {
        var failure = AssertSingleFailureStartsWith("Campaign:SendAt:", new CampaignOptions { SendAt = sendAt });
        Assert.Contains($"'{sendAt}'", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00")]
    [InlineData("23:59")]
    [InlineData("08:30")]
    public void Any_time_of_day_is_a_valid_send_time(string sendAt)
    {
        Assert.True(Validate(new CampaignOptions { SendAt = sendAt }).Succeeded);
    }

    [Fact]
    public void A_day_length_of_zero_is_named_by_its_key()
    {
        AssertSingleFailureStartsWith("Campaign:DayLength:", new CampaignOptions { DayLength = TimeSpan.Zero });
    }

    [Fact]
    public void A_negative_confirmation_expiry_is_named_by_its_key()
    {
        AssertSingleFailureStartsWith("Campaign:ConfirmationExpiry:", new CampaignOptions { ConfirmationExpiry = TimeSpan.FromHours(-1) });
    }

    [Fact]
    public void A_postal_address_on_several_lines_is_valid()
    {
        Assert.True(Validate(new CampaignOptions { PostalAddress = "Bootcamp Ltd\n1 Main Street\nSpringfield" }).Succeeded);
    }

    [Fact]
    public void A_postal_address_with_other_control_characters_is_named_by_its_key()
    {
        AssertSingleFailureStartsWith("Campaign:PostalAddress:", new CampaignOptions { PostalAddress = "Bootcamp Ltd\u0007" });
    }

    [Fact]
    public void Every_bad_key_is_reported_on_its_own_line()
    {
        var result = Validate(new CampaignOptions { PublicBaseUrl = "nowhere", From = "x", SendAt = "25:00", DayLength = TimeSpan.Zero });

        Assert.Equal(
            ["Campaign:PublicBaseUrl", "Campaign:From", "Campaign:SendAt", "Campaign:DayLength"],
            result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    private static ValidateOptionsResult Validate(CampaignOptions options) => new CampaignOptionsValidator().Validate(null, options);

    private static string AssertSingleFailureStartsWith(string prefix, CampaignOptions options)
    {
        var result = Validate(options);
        Assert.True(result.Failed, $"expected {prefix} to be refused");
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(prefix, failure, StringComparison.Ordinal);
        return failure;
    }
}
