using Bootcamp.Domain;
using NodaTime;

namespace Bootcamp.UnitTests.Domain;

public sealed class SignupValidatorTests
{
    [Fact]
    public void A_complete_sign_up_is_valid_and_keeps_what_the_visitor_gave()
    {
        var errors = Validate(new SignupBuilder().WithEmail(" ann@example.org ").WithFirstName("  Ann ").WithTimeZone("Europe/Paris").Discreet());

        Assert.Empty(errors.Errors);
        var signup = Assert.IsType<ValidSignup>(errors.Signup);
        Assert.Equal("ann@example.org", signup.Email);
        Assert.Equal("Ann", signup.FirstName);
        Assert.Equal("Europe/Paris", signup.TimeZone.Id);
        Assert.True(signup.Discreet);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_first_name_is_optional(string? firstName)
    {
        var result = Validate(new SignupBuilder().WithFirstName(firstName));

        Assert.Empty(result.Errors);
        Assert.Null(result.Signup!.FirstName);
    }

    [Fact]
    public void A_bad_address_is_reported_under_email()
    {
        var result = Validate(new SignupBuilder().WithEmail("ann@example.org\r\nBcc: x@y.org"));

        Assert.Equal(["email"], result.Errors.Keys);
        Assert.Null(result.Signup);
    }

    [Fact]
    public void A_first_name_of_100_characters_is_accepted()
    {
        var result = Validate(new SignupBuilder().WithFirstName(new string('a', 100)));

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void A_first_name_of_101_characters_is_reported_under_firstName()
    {
        var result = Validate(new SignupBuilder().WithFirstName(new string('a', 101)));

        var message = Assert.Single(result.Errors["firstName"]);
        Assert.Contains("100", message, StringComparison.Ordinal);
        Assert.Null(result.Signup);
    }

    [Theory]
    [InlineData("Ann\r\nBcc: x@y.org")]
    [InlineData("Ann\nLee")]
    [InlineData("Ann\tLee")]
    [InlineData("Ann\0")]
    [InlineData("Ann\u2029Lee")]
    public void Control_characters_in_the_first_name_are_reported_under_firstName(string firstName)
    {
        var result = Validate(new SignupBuilder().WithFirstName(firstName));

        Assert.Equal(["firstName"], result.Errors.Keys);
        Assert.Null(result.Signup);
    }

    [Theory]
    [InlineData("Mars/Base")]
    [InlineData("Europe/Atlantis")]
    [InlineData("../../etc/passwd")]
    [InlineData("GMT+25")]
    public void An_unknown_time_zone_is_reported_under_timeZone(string zone)
    {
        var result = Validate(new SignupBuilder().WithTimeZone(zone));

        var message = Assert.Single(result.Errors["timeZone"]);
        Assert.Contains("IANA", message, StringComparison.Ordinal);
        Assert.Null(result.Signup);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_missing_time_zone_is_reported_under_timeZone(string? zone)
    {
        var result = Validate(new SignupBuilder().WithTimeZone(zone));

        Assert.Equal(["timeZone"], result.Errors.Keys);
    }

    [Theory]
    [InlineData("Asia/Tokyo")]
    [InlineData("America/New_York")]
    [InlineData("America/Argentina/Buenos_Aires")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Etc/UTC")]
    [InlineData(" Europe/Paris ")]
    public void A_valid_iana_time_zone_is_accepted(string zone)
    {
        var result = Validate(new SignupBuilder().WithTimeZone(zone));

        Assert.Empty(result.Errors);
        Assert.Equal(zone.Trim(), result.Signup!.TimeZone.Id);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once_by_its_json_name()
    {
        var result = Validate(new SignupBuilder().WithEmail("Ann <ann@example.org>").WithFirstName(new string('x', 101)).WithTimeZone("Mars/Base"));

        Assert.Equal(["email", "firstName", "timeZone"], result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Errors.Values, messages => Assert.NotEmpty(Assert.Single(messages)));
    }

    private static (Dictionary<string, string[]> Errors, ValidSignup? Signup) Validate(SignupBuilder builder)
    {
        var errors = SignupValidator.Validate(builder.Build(), DateTimeZoneProviders.Tzdb, out var signup);
        return (errors, signup);
    }

    private sealed class SignupBuilder
    {
        private string? _email = "ann@example.org";
        private string? _firstName = "Ann";
        private string? _timeZone = "Europe/Paris";
        private bool _discreet;

        public SignupBuilder WithEmail(string? email) { _email = email; return this; }
        public SignupBuilder WithFirstName(string? firstName) { _firstName = firstName; return this; }
        public SignupBuilder WithTimeZone(string? zone) { _timeZone = zone; return this; }
        public SignupBuilder Discreet() { _discreet = true; return this; }

        public SignupInput Build() => new(_email, _firstName, _timeZone, _discreet);
    }
}
