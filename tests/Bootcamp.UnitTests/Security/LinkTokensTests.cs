using Bootcamp.Domain;
using Bootcamp.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Bootcamp.UnitTests.Security;

public sealed class LinkTokensTests : IDisposable
{
    private readonly AppSecrets _secrets = NewSecrets();
    private readonly LinkTokens _tokens;
    private readonly DirectoryInfo _keyRing = Directory.CreateTempSubdirectory("bootcamp-keys-");

    public LinkTokensTests() => _tokens = new(new EphemeralDataProtectionProvider(), _secrets);

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
        var token = new LinkTokens(new EphemeralDataProtectionProvider(), NewSecrets()).Create(TokenPurpose.Unsubscribe, 5);

        Assert.False(_tokens.TryRead(TokenPurpose.Unsubscribe, token, out _, out _));
    }

    [Fact]
    public void A_token_made_by_one_process_opens_in_another_sharing_the_key_ring()
    {
        var first = new LinkTokens(SharedKeyRingProvider("Bootcamp"), _secrets);
        var token = first.Create(TokenPurpose.Confirm, 31337);

        var second = new LinkTokens(SharedKeyRingProvider("Bootcamp"), _secrets);

        Assert.True(second.TryRead(TokenPurpose.Confirm, token, out var id, out _));
        Assert.Equal(31337, id);
    }

    [Fact]
    public void A_token_made_under_another_application_name_is_refused_even_with_the_same_keys()
    {
        var token = new LinkTokens(SharedKeyRingProvider("Bootcamp"), _secrets).Create(TokenPurpose.Confirm, 31337);

        var other = new LinkTokens(SharedKeyRingProvider("SomeOtherApp"), _secrets);

        Assert.False(other.TryRead(TokenPurpose.Confirm, token, out _, out _));
    }

    [Fact]
    public void A_link_index_past_what_a_token_holds_is_an_error_not_a_wrong_link()
    {
        Assert.Throws<OverflowException>(() => _tokens.Create(TokenPurpose.Click, 1, 65536));
        Assert.Throws<OverflowException>(() => _tokens.Create(TokenPurpose.Click, 1, -1));
    }

    public static TheoryData<TokenPurpose> LessonLinkPurposes => [TokenPurpose.Open, TokenPurpose.Click, TokenPurpose.Done, TokenPurpose.Unsubscribe];

    [Theory]
    [MemberData(nameof(LessonLinkPurposes))]
    public void A_lesson_link_token_is_sealed_and_59_characters_long(TokenPurpose purpose)
    {
        Assert.Equal(59, _tokens.Create(purpose, long.MaxValue, 65535, DateTimeOffset.UtcNow).Length);
    }

    [Theory]
    [MemberData(nameof(LessonLinkPurposes))]
    public void A_lesson_link_sealed_before_tokens_named_their_key_still_opens_with_key_1(TokenPurpose purpose)
    {
        // Version 1: 1 | nonce | payload under AES-GCM | tag, with (version, purpose) as associated data.
        var payload = new byte[14];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(payload, 4242);
        var token = new byte[43];
        token[0] = 1;
        System.Security.Cryptography.RandomNumberGenerator.Fill(token.AsSpan(1, 12));
        using (var aes = new System.Security.Cryptography.AesGcm(_secrets.LinkTokenKey, 16))
        {
            aes.Encrypt(token.AsSpan(1, 12), payload, token.AsSpan(13, 14), token.AsSpan(27), [1, PurposeByte(purpose)]);
        }
        var old = System.Buffers.Text.Base64Url.EncodeToString(token);
        _secrets.LinkTokenKeys = [_secrets.LinkTokenKeys[0], new SecretKey(2, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))];

        var tokens = new LinkTokens(new EphemeralDataProtectionProvider(), _secrets);
        Assert.True(tokens.TryRead(purpose, old, out var id, out _));
        Assert.Equal(4242, id);
    }

    [Fact]
    public void After_a_rotation_new_tokens_use_the_newest_key_and_tokens_of_the_older_one_still_open()
    {
        var before = _tokens.Create(TokenPurpose.Click, 7, 1);
        var rotated = new AppSecrets { AddressHashKey = _secrets.AddressHashKey };
        rotated.LinkTokenKeys = [new SecretKey(1, _secrets.LinkTokenKey), new SecretKey(2, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))];
        var tokens = new LinkTokens(new EphemeralDataProtectionProvider(), rotated);

        var after = tokens.Create(TokenPurpose.Click, 8, 2);

        Assert.True(tokens.TryRead(TokenPurpose.Click, before, out var id, out var index));
        Assert.Equal((7, 1), (id, index));
        Assert.True(tokens.TryRead(TokenPurpose.Click, after, out id, out index));
        Assert.Equal((8, 2), (id, index));
        Assert.Equal(2, System.Buffers.Text.Base64Url.DecodeFromChars(after)[1]);
        // A process that holds only the old key cannot open the new token (and says no, not an exception).
        Assert.False(_tokens.TryRead(TokenPurpose.Click, after, out _, out _));
    }

    [Fact]
    public void A_token_naming_a_key_it_was_not_sealed_with_does_not_open()
    {
        var rotated = new AppSecrets { AddressHashKey = _secrets.AddressHashKey };
        rotated.LinkTokenKeys = [new SecretKey(1, _secrets.LinkTokenKey), new SecretKey(2, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))];
        var tokens = new LinkTokens(new EphemeralDataProtectionProvider(), rotated);
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(tokens.Create(TokenPurpose.Click, 8));

        bytes[1] = 1;

        Assert.False(tokens.TryRead(TokenPurpose.Click, System.Buffers.Text.Base64Url.EncodeToString(bytes), out _, out _));
    }

    private static byte PurposeByte(TokenPurpose purpose) => purpose switch
    {
        TokenPurpose.Open => 1,
        TokenPurpose.Click => 2,
        TokenPurpose.Done => 3,
        TokenPurpose.Unsubscribe => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };

    [Theory]
    [MemberData(nameof(LessonLinkPurposes))]
    public void A_lesson_link_made_by_data_protection_before_the_sealed_format_still_opens(TokenPurpose purpose)
    {
        // What Create wrote into lessons before: the same payload, protected by Data Protection.
        var provider = SharedKeyRingProvider("Bootcamp");
        var payload = new byte[14];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(payload, 777);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(8), 3);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(10), 1_780_000_000);
        var old = System.Buffers.Text.Base64Url.EncodeToString(provider.CreateProtector("Bootcamp.Link", purpose.ToString()).Protect(payload));

        var tokens = new LinkTokens(provider, _secrets);

        Assert.True(tokens.TryRead(purpose, old, out var id, out var index, out var issuedAt));
        Assert.Equal((777, 3), (id, index));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_780_000_000), issuedAt);
        Assert.False(tokens.TryRead(purpose == TokenPurpose.Open ? TokenPurpose.Click : TokenPurpose.Open, old, out _, out _));
    }

    [Fact]
    public void A_sealed_token_opens_in_another_process_sharing_the_secret_and_nowhere_else()
    {
        var token = _tokens.Create(TokenPurpose.Click, 31337, 4);
        var copy = new AppSecrets { AddressHashKey = _secrets.AddressHashKey, LinkTokenKey = [.. _secrets.LinkTokenKey] };

        Assert.True(new LinkTokens(new EphemeralDataProtectionProvider(), copy).TryRead(TokenPurpose.Click, token, out var id, out var index));
        Assert.Equal((31337, 4), (id, index));
        Assert.False(new LinkTokens(new EphemeralDataProtectionProvider(), NewSecrets()).TryRead(TokenPurpose.Click, token, out _, out _));
    }

    [Fact]
    public void Two_tokens_for_the_same_link_differ()
    {
        // A fresh nonce each time: equal tokens would tell an observer two emails carry the same link.
        Assert.NotEqual(_tokens.Create(TokenPurpose.Open, 5), _tokens.Create(TokenPurpose.Open, 5));
    }

    [Fact]
    public void Tokens_made_and_read_on_many_threads_at_once_all_open()
    {
        var failures = 0;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var token = _tokens.Create(TokenPurpose.Click, i, i % 7);
            if (!_tokens.TryRead(TokenPurpose.Click, token, out var id, out var index) || id != i || index != i % 7)
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }

    public void Dispose() => _keyRing.Delete(recursive: true);

    private static AppSecrets NewSecrets() => new()
    {
        AddressHashKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
        LinkTokenKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
    };

    private IDataProtectionProvider SharedKeyRingProvider(string applicationName) =>
        DataProtectionProvider.Create(new DirectoryInfo(_keyRing.FullName), b => b.SetApplicationName(applicationName));
}
