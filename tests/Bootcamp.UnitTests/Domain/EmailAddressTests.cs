using Bootcamp.Domain;

namespace Bootcamp.UnitTests.Domain;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("ann@example.org")]
    [InlineData("ann.lee+bootcamp@mail.example.co.uk")]
    [InlineData("o'brien@example.ie")]
    [InlineData("Ann.Lee@Example.ORG")]
    [InlineData("root@localhost")]
    public void A_plain_address_is_accepted_as_typed(string input)
    {
        Assert.True(EmailAddress.TryNormalize(input, out var address, out var error), error);
        Assert.Equal(input, address);
    }

    [Fact]
    public void Spaces_around_an_address_are_dropped()
    {
        Assert.True(EmailAddress.TryNormalize("  ann@example.org \t", out var address, out _));
        Assert.Equal("ann@example.org", address);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_address_is_refused_as_required(string? input)
    {
        Assert.False(EmailAddress.TryNormalize(input, out var address, out var error));
        Assert.Null(address);
        Assert.Equal("An email address is required.", error);
    }

    [Fact]
    public void An_address_of_254_characters_is_accepted()
    {
        var input = LongAddress(254);

        Assert.True(EmailAddress.TryNormalize(input, out var address, out var error), error);
        Assert.Equal(input, address);
    }

    [Fact]
    public void An_address_of_255_characters_is_refused_for_its_length()
    {
        Assert.False(EmailAddress.TryNormalize(LongAddress(255), out _, out var error));
        Assert.Contains("254", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ann@example.org\r\nBcc: x@y.org")]
    [InlineData("ann@example.org\nBcc: x@y.org")]
    [InlineData("ann@example.org\rBcc: x@y.org")]
    [InlineData("ann\t@example.org")]
    [InlineData("ann@exa\0mple.org")]
    [InlineData("ann@example.org\u0085Bcc: x@y.org")]
    [InlineData("ann@example.org\u2028Bcc: x@y.org")]
    public void Header_injection_through_control_characters_is_refused(string input)
    {
        Assert.False(EmailAddress.TryNormalize(input, out var address, out var error));
        Assert.Null(address);
        Assert.Equal("The email address contains characters that are not allowed.", error);
    }

    [Theory]
    [InlineData("ann@example.org\u200B")] // zero-width space, as pasted from a web page
    [InlineData("\uFEFFann@example.org")] // byte-order mark, as pasted from a file
    [InlineData("ann\u2060@example.org")] // word joiner
    [InlineData("ann@example.org\u202E")] // right-to-left override
    public void An_address_with_an_invisible_character_is_never_accepted_with_it(string input)
    {
        // Accepted as typed, the confirmation would go to a mailbox that does not exist, and the
        // visitor, seeing nothing wrong on the form, would never hear from us.
        var accepted = EmailAddress.TryNormalize(input, out var address, out _);

        Assert.False(accepted && address != "ann@example.org", $"accepted as \"{Visible(address)}\"");
    }

    [Theory]
    [InlineData("Ann <ann@example.org>")]
    [InlineData("\"Ann Lee\" <ann@example.org>")]
    [InlineData("<ann@example.org>")]
    [InlineData("ann@example.org (Ann)")]
    public void An_address_with_a_display_name_or_brackets_is_refused(string input)
    {
        Assert.False(EmailAddress.TryNormalize(input, out var address, out var error));
        Assert.Null(address);
        Assert.Equal("This is not a valid email address.", error);
    }

    [Theory]
    [InlineData("ann@example.org, bob@example.org")]
    [InlineData("ann@example.org;bob@example.org")]
    [InlineData("ann@example.org bob@example.org")]
    [InlineData("friends: ann@example.org, bob@example.org;")]
    public void A_list_of_addresses_is_refused(string input)
    {
        Assert.False(EmailAddress.TryNormalize(input, out var address, out var error));
        Assert.Null(address);
        Assert.Equal("This is not a valid email address.", error);
    }

    [Theory]
    [InlineData("ann")]
    [InlineData("ann@")]
    [InlineData("@example.org")]
    [InlineData("ann@example")]
    [InlineData("ann@@example.org")]
    [InlineData("ann example@example.org")]
    [InlineData("<@relay.example:ann@example.org>")]
    public void An_address_without_a_proper_mailbox_or_domain_is_refused(string input)
    {
        Assert.False(EmailAddress.TryNormalize(input, out var address, out var error));
        Assert.Null(address);
        Assert.Equal("This is not a valid email address.", error);
    }

    [Fact]
    public void The_lookup_key_ignores_case_and_surrounding_spaces()
    {
        Assert.Equal(EmailAddress.Key("ann@example.org"), EmailAddress.Key(" Ann@Example.ORG "));
    }

    /// <summary>A syntactically valid address of exactly <paramref name="length"/> characters (up to 271).</summary>
    internal static string LongAddress(int length)
    {
        // Four 50-character labels and a TLD: 207 characters of domain, DNS-valid; the local part takes the rest.
        var domain = string.Join('.', "abcd".Select(c => new string(c, 50))) + ".org";
        return new string('r', length - 1 - domain.Length) + "@" + domain;
    }

    /// <summary>The string with anything outside ASCII written as \uXXXX, so a failure shows what is invisible.</summary>
    private static string Visible(string? value) =>
        string.Concat((value ?? string.Empty).Select(c => c < 128 ? c.ToString() : $"\\u{(int)c:X4}"));
}
