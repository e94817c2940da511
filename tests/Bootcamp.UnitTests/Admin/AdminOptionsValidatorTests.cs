using Bootcamp.Admin;

namespace Bootcamp.UnitTests.Admin;

public sealed class AdminOptionsValidatorTests
{
    [Fact]
    public void No_admin_account_configured_is_valid()
    {
        Assert.True(new AdminOptionsValidator().Validate(null, new AdminOptions()).Succeeded);
    }

    [Fact]
    public void An_admin_address_and_a_long_enough_password_are_valid()
    {
        Assert.True(new AdminOptionsValidator().Validate(null, new AdminOptions { Email = "admin@example.org", Password = "correct horse" }).Succeeded);
    }

    [Theory]
    [InlineData("admin@example.org", null, "Admin:Password:")]
    [InlineData(null, "correct horse", "Admin:Email:")]
    [InlineData("admin", "correct horse", "Admin:Email:")]
    [InlineData("admin@example.org", "short", "Admin:Password:")]
    public void A_bad_admin_account_is_named_by_its_key(string? email, string? password, string key)
    {
        var result = new AdminOptionsValidator().Validate(null, new AdminOptions { Email = email, Password = password });

        Assert.True(result.Failed);
        Assert.StartsWith(key, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_never_appears_in_the_failure()
    {
        var result = new AdminOptionsValidator().Validate(null, new AdminOptions { Email = "admin@example.org", Password = "s3cr3t" });

        Assert.DoesNotContain("s3cr3t", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SessionLifetime")]
    [InlineData("IdleTimeout")]
    [InlineData("LockoutDuration")]
    public void A_duration_of_zero_is_named_by_its_key(string key)
    {
        var options = new AdminOptions();
        typeof(AdminOptions).GetProperty(key)!.SetValue(options, TimeSpan.Zero);

        var result = new AdminOptionsValidator().Validate(null, options);

        Assert.StartsWith($"Admin:{key}:", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
