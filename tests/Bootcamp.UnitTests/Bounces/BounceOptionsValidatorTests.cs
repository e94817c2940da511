using Bootcamp.Bounces;

namespace Bootcamp.UnitTests.Bounces;

public sealed class BounceOptionsValidatorTests
{
    [Fact]
    public void The_default_bounce_options_are_valid_and_off()
    {
        var options = new BounceOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.False(options.PollerEnabled);
        Assert.False(options.VerpEnabled);
    }

    [Fact]
    public void A_complete_mailbox_and_template_are_valid()
    {
        var options = new BounceOptions
        {
            Imap = new BounceImapOptions { Host = "imap.example.org", UserName = "bounces", Password = "secret" },
            ReturnPathTemplate = "bounces+{id}@example.org",
        };

        Assert.True(Validate(options).Succeeded);
        Assert.True(options.PollerEnabled);
        Assert.True(options.VerpEnabled);
    }

    [Theory]
    [InlineData("bounces@example.org")]
    [InlineData("bounces+{id}")]
    [InlineData("Bounces <bounces+{id}@example.org>")]
    public void A_template_without_id_or_not_an_address_is_named_by_its_key(string template)
    {
        AssertSingleFailureStartsWith("Bounces:ReturnPathTemplate:", new BounceOptions { ReturnPathTemplate = template });
    }

    [Fact]
    public void A_mailbox_without_a_user_name_is_named_by_its_key()
    {
        AssertSingleFailureStartsWith("Bounces:Imap:UserName:", new BounceOptions { Imap = new BounceImapOptions { Host = "imap.example.org" } });
    }

    [Fact]
    public void A_user_name_without_a_password_is_named_by_its_key()
    {
        AssertSingleFailureStartsWith("Bounces:Imap:Password:", new BounceOptions { Imap = new BounceImapOptions { Host = "imap.example.org", UserName = "bounces" } });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70000)]
    public void A_port_out_of_range_is_named_by_its_key(int port)
    {
        AssertSingleFailureStartsWith("Bounces:Imap:Port:", new BounceOptions { Imap = new BounceImapOptions { Port = port } });
    }

    [Fact]
    public void A_poll_interval_of_zero_is_named_by_its_key()
    {
        AssertSingleFailureStartsWith("Bounces:PollInterval:", new BounceOptions { PollInterval = TimeSpan.Zero });
    }

    [Fact]
    public void An_empty_folder_is_named_by_its_key()
    {
        AssertSingleFailureStartsWith("Bounces:Imap:Folder:", new BounceOptions { Imap = new BounceImapOptions { Folder = " " } });
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(BounceOptions options) =>
        new BounceOptionsValidator().Validate(null, options);

    private static void AssertSingleFailureStartsWith(string prefix, BounceOptions options)
    {
        var result = Validate(options);
        Assert.True(result.Failed);
        Assert.StartsWith(prefix, Assert.Single(result.Failures!));
    }
}
