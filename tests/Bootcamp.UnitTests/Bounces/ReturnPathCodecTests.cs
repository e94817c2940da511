using System.Text.RegularExpressions;
using Bootcamp.Bounces;

namespace Bootcamp.UnitTests.Bounces;

public sealed class ReturnPathCodecTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private readonly ReturnPathCodec _codec = new("bounces+{id}@example.org", Key);

    [Theory]
    [InlineData(1L)]
    [InlineData(4711L)]
    [InlineData(long.MaxValue)]
    public void A_lessons_return_path_reads_back_as_that_lesson(long lessonId)
    {
        var address = _codec.AddressFor(lessonId);

        Assert.Equal(ReturnPathMatch.Valid, _codec.Read(address, out var read));
        Assert.Equal(lessonId, read);
    }

    [Fact]
    public void The_return_path_is_short_lower_case_ascii_in_the_templates_place()
    {
        var address = _codec.AddressFor(4711);

        Assert.Matches(new Regex("^bounces\\+4711-[0-9a-f]{10}@example\\.org$"), address);
        Assert.True(MimeKit.MailboxAddress.TryParse(address, out _));
    }

    [Fact]
    public void The_same_lesson_gets_the_same_return_path_and_another_lesson_another()
    {
        Assert.Equal(_codec.AddressFor(4711), new ReturnPathCodec("bounces+{id}@example.org", Key).AddressFor(4711));
        Assert.NotEqual(_codec.AddressFor(4711)[^22..], _codec.AddressFor(4712)[^22..]);
    }

    [Fact]
    public void Another_id_with_the_first_ids_check_is_forged()
    {
        var address = _codec.AddressFor(4711).Replace("+4711-", "+4712-", StringComparison.Ordinal);

        Assert.Equal(ReturnPathMatch.Forged, _codec.Read(address, out var read));
        Assert.Equal(0, read);
    }

    [Fact]
    public void A_return_path_made_with_another_key_is_forged()
    {
        var other = new ReturnPathCodec("bounces+{id}@example.org", [.. Key.Reverse()]);

        Assert.Equal(ReturnPathMatch.Forged, _codec.Read(other.AddressFor(4711), out _));
    }

    [Theory]
    [InlineData("bounces+4711@example.org")]
    [InlineData("bounces+4711-zzzzzzzzzz@example.org")]
    [InlineData("bounces+-0123456789@example.org")]
    [InlineData("bounces+4711-01234@example.org")]
    public void A_mangled_token_is_forged(string address)
    {
        Assert.Equal(ReturnPathMatch.Forged, _codec.Read(address, out _));
    }

    [Theory]
    [InlineData("bounces@example.org")]
    [InlineData("reader@example.net")]
    [InlineData("bounces+4711-0123456789@example.com")]
    [InlineData("")]
    [InlineData(null)]
    public void An_address_not_shaped_like_the_template_is_not_ours(string? address)
    {
        Assert.Equal(ReturnPathMatch.NotOurs, _codec.Read(address, out _));
    }

    [Fact]
    public void Angle_brackets_and_upper_case_are_read_through()
    {
        var address = $"<{_codec.AddressFor(4711).ToUpperInvariant()}>";

        Assert.Equal(ReturnPathMatch.Valid, _codec.Read(address, out var read));
        Assert.Equal(4711, read);
    }

    [Theory]
    [InlineData("bounces+{id}@example.org")]
    [InlineData("{id}@bounces.example.org")]
    [InlineData("b-{id}-x@example.org")]
    public void A_template_with_id_in_the_local_part_is_usable(string template)
    {
        Assert.Null(ReturnPathCodec.Problem(template));
    }

    [Theory]
    [InlineData("bounces@example.org")]
    [InlineData("bounces+{id}+{id}@example.org")]
    [InlineData("bounces+{id}")]
    [InlineData("bounces@{id}.example.org")]
    [InlineData("Bounces <bounces+{id}@example.org>")]
    [InlineData("bounces+{id}@example.org\r\nBcc: x@example.net")]
    [InlineData("bounces +{id}@example.org")]
    [InlineData("bounces+{id}@")]
    [InlineData("a-very-long-local-part-that-leaves-no-room-for-the-lesson-{id}@example.org")]
    [InlineData("")]
    public void A_template_that_cannot_make_an_address_is_refused(string template)
    {
        Assert.NotNull(ReturnPathCodec.Problem(template));
    }
}
