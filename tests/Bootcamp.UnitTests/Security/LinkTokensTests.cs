using Bootcamp.Domain;
using Bootcamp.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Bootcamp.UnitTests.Security;

public sealed class LinkTokensTests : IDisposable
{
    private readonly LinkTokens _tokens = new(new EphemeralDataProtectionProvider());
    private readonly DirectoryInfo _keyRing = Directory.CreateTempSubdirectory("bootcamp-keys-");

    public static TheoryData<TokenPurpose> Purposes => [.. Enum.GetValues<TokenPurpose>()];

    public static TheoryData<TokenPurpose, TokenPurpose> OtherPurposes
    {
        get
        {
            var data = new TheoryData<TokenPurpose, TokenPurpose>();
            foreach (var made in Enum.GetValues<TokenPurpose>())
            {
                foreach (var used in Enum.GetValues<TokenPurpose>().Where(p => p != made))
                {
                    data.Add(made, used);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Purposes))]
    public void A_token_opens_under_the_purpose_it_was_made_for(TokenPurpose purpose)
    {
        var token = _tokens.Create(purpose, 123_456_789_012);

        Assert.True(_tokens.TryRead(purpose, token, out var id, out var index));
        Assert.Equal(123_456_789_012, id);
        Assert.Equal(0, index);
    }

    [Theory]
    [MemberData(nameof(OtherPurposes))]
    public void A_token_made_for_one_purpose_is_refused_under_every_other(TokenPurpose made, TokenPurpose used)
    {
        var token = _tokens.Create(made, 42);

        Assert.False(_tokens.TryRead(used, token, out var id, out _));
        Assert.Equal(0, id);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65535)]
    public void A_click_token_carries_the_index_of_its_link(int index)
    {
        var token = _tokens.Create(TokenPurpose.Click, 99, index);

        Assert.True(_tokens.TryRead(TokenPurpose.Click, token, out var id, out var read));
        Assert.Equal(99, id);
        Assert.Equal(index, read);
    }

    [Fact]
    public void A_token_carries_when_it_was_made_to_the_second()
    {
        var built = new DateTimeOffset(2026, 6, 10, 6, 0, 1, 900, TimeSpan.Zero);
        var token = _tokens.Create(TokenPurpose.Open, 99, issuedAt: built);

        Assert.True(_tokens.TryRead(TokenPurpose.Open, token, out var id, out _, out var issuedAt));
        Assert.Equal(99, id);
        Assert.Equal(new DateTimeOffset(2026, 6, 10, 6, 0, 1, TimeSpan.Zero), issuedAt);
    }

    [Fact]
    public void Two_links_of_one_lesson_get_different_tokens()
    {
        Assert.NotEqual(_tokens.Create(TokenPurpose.Click, 99, 0), _tokens.Create(TokenPurpose.Click, 99, 1));
    }

    [Fact]
    public void A_token_is_safe_to_put_in_a_url_path()
    {
        var token = _tokens.Create(TokenPurpose.Unsubscribe, long.MaxValue);

        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.Equal(token, Uri.EscapeDataString(token));
    }

    [Fact]
    public void A_token_does_not_show_the_id_it_carries()
    {
        var token = _tokens.Create(TokenPurpose.Open, 1234567);

        Assert.DoesNotContain("1234567", token, StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_any_one_character_of_a_token_makes_it_refused()
    {
        var token = _tokens.Create(TokenPurpose.Click, 5, 2);

        for (var i = 0; i < token.Length; i++)
        {
            var altered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.False(_tokens.TryRead(TokenPurpose.Click, altered, out _, out _), $"the token still opens with character {i} of {token.Length} changed");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(20)]
    public void A_truncated_token_is_refused(int charactersCut)
    {
        var token = _tokens.Create(TokenPurpose.Done, 5);

        Assert.False(_tokens.TryRead(TokenPurpose.Done, token[..^charactersCut], out _, out _));
    }

    [Fact]
    public void A_token_with_something_appended_is_refused()
    {
        var token = _tokens.Create(TokenPurpose.Done, 5);

        Assert.False(_tokens.TryRead(TokenPurpose.Done, token + "AAAA", out _, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("AAAA")]
    [InlineData("not/base64+url=")]
    [InlineData("../../etc/passwd")]
    [InlineData("%00")]
    public void Garbage_is_refused(string? token)
    {
        foreach (var purpose in Enum.GetValues<TokenPurpose>())
        {
            Assert.False(_tokens.TryRead(purpose, token, out var id, out var index));
            Assert.Equal(0, id);
            Assert.Equal(0, index);
        }
    }

    [Fact]
    public void A_very_long_token_is_refused()
    {
        Assert.False(_tokens.TryRead(TokenPurpose.Click, new string('A', 100_000), out _, out _));
    }

    [Fact]
    public void A_token_from_another_key_ring_is_refused()
    {
        var token = new LinkTokens(new EphemeralDataProtectionProvider()).Create(TokenPurpose.Unsubscribe, 5);

        Assert.False(_tokens.TryRead(TokenPurpose.Unsubscribe, token, out _, out _));
    }

    [Fact]
    public void A_token_made_by_one_process_opens_in_another_sharing_the_key_ring()
    {
        var first = new LinkTokens(SharedKeyRingProvider("Bootcamp"));
        var token = first.Create(TokenPurpose.Confirm, 31337);

        var second = new LinkTokens(SharedKeyRingProvider("Bootcamp"));

        Assert.True(second.TryRead(TokenPurpose.Confirm, token, out var id, out _));
        Assert.Equal(31337, id);
    }

    [Fact]
    public void A_token_made_under_another_application_name_is_refused_even_with_the_same_keys()
    {
        var token = new LinkTokens(SharedKeyRingProvider("Bootcamp")).Create(TokenPurpose.Confirm, 31337);

        var other = new LinkTokens(SharedKeyRingProvider("SomeOtherApp"));

        Assert.False(other.TryRead(TokenPurpose.Confirm, token, out _, out _));
    }

    [Fact]
    public void A_link_index_past_what_a_token_holds_is_an_error_not_a_wrong_link()
    {
        Assert.Throws<OverflowException>(() => _tokens.Create(TokenPurpose.Click, 1, 65536));
        Assert.Throws<OverflowException>(() => _tokens.Create(TokenPurpose.Click, 1, -1));
    }

    public void Dispose() => _keyRing.Delete(recursive: true);

    private IDataProtectionProvider SharedKeyRingProvider(string applicationName) =>
        DataProtectionProvider.Create(new DirectoryInfo(_keyRing.FullName), b => b.SetApplicationName(applicationName));
}
