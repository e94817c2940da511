using System.Text;
using Bootcamp.Delivery;
using MimeKit;
using MimeKit.Encodings;

namespace Bootcamp.UnitTests.Delivery;

public sealed class QuotedPrintableTests
{
    [Theory]
    [InlineData("")]
    [InlineData("Hello")]
    [InlineData("a = b")]
    [InlineData("ends with a space \nand a tab\t\nand spaces at the very end   ")]
    [InlineData("CRLF\r\nline\r\nlone CR\rhere\n")]
    [InlineData("naïve café — “quotes” ✓ 😊\n")]
    [InlineData(".a dot at the start\n.\n")]
    [InlineData("..\n...\n. \n")]
    [InlineData("\n\n\n")]
    public void What_it_encodes_decodes_back_with_CRLF_line_breaks(string text)
    {
        AssertRoundTrip(text);
    }

    [Fact]
    public void Long_lines_of_every_kind_are_broken_softly_and_come_back_whole()
    {
        var words = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"word{i}"));
        AssertRoundTrip(new string('x', 1_000));
        AssertRoundTrip(words + "\n" + words);
        AssertRoundTrip(string.Concat(Enumerable.Repeat("é", 400)));
        AssertRoundTrip(string.Concat(Enumerable.Repeat("= ", 300)) + "\n");
        AssertRoundTrip(new string(' ', 200) + "\n" + new string('\t', 100));
    }

    [Fact]
    public void Random_text_round_trips_and_every_line_is_legal()
    {
        var random = new Random(20261126);
        var alphabet = "abc XYZ 019 .,;:=!?-_\t\n\r\n<>\"'é€😊—\u0001".EnumerateRunes().ToArray();
        for (var sample = 0; sample < 2_000; sample++)
        {
            var text = new StringBuilder();
            for (var n = random.Next(0, 400); n > 0; n--)
            {
                text.Append(alphabet[random.Next(alphabet.Length)].ToString());
            }
            AssertRoundTrip(text.ToString());
        }
    }

    [Fact]
    public void A_dot_that_a_soft_break_brings_to_the_start_of_a_line_is_escaped()
    {
        // 75 characters fill the first line; the dot starts the second.
        var encoded = Encoding.ASCII.GetString(Encode(Encoding.UTF8.GetBytes(new string('x', 75) + ".after")));

        Assert.Equal(new string('x', 75) + "=\r\n=2Eafter", encoded);
    }

    [Fact]
    public void A_lesson_sized_text_is_mostly_copied_as_it_is()
    {
        var html = string.Concat(Enumerable.Repeat("<p>You only have to get through today. Breathe.</p>\n", 400));

        var encoded = Encoding.ASCII.GetString(Encode(Encoding.UTF8.GetBytes(html)));

        Assert.Contains("<p>You only have to get through today. Breathe.</p>\r\n", encoded);
        Assert.True(encoded.Length < html.Length * 1.05, $"{encoded.Length} bytes for {html.Length}");
    }

    [Fact]
    public void A_message_built_with_it_parses_back_to_the_same_text()
    {
        const string text = "Day 1 of 7 — you only have to get through today.\nA line that is long enough to need a soft break somewhere in the middle of it, well past seventy-six characters.\nTrailing space \n";
        var part = new TextPart("plain") { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.ContentType.CharsetEncoding = Encoding.UTF8;
        part.Content = new MimeContent(new MemoryStream(Encode(Encoding.UTF8.GetBytes(text))), ContentEncoding.QuotedPrintable);
        var message = new MimeMessage { Body = part };
        using var wire = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, wire);

        wire.Position = 0;
        var parsed = MimeMessage.Load(wire);

        Assert.Equal(text.TrimEnd(), parsed.TextBody?.ReplaceLineEndings("\n").TrimEnd());
        Assert.Equal(ContentEncoding.QuotedPrintable, Assert.IsType<TextPart>(parsed.Body).ContentTransferEncoding);
    }

    private static byte[] Encode(byte[] text)
    {
        var output = new byte[QuotedPrintable.MaxEncodedLength(text.Length)];
        return output[..QuotedPrintable.Encode(text, output)];
    }

    private static void AssertRoundTrip(string text)
    {
        var input = Encoding.UTF8.GetBytes(text);
        var encoded = Encode(input);

        var lines = Encoding.ASCII.GetString(encoded).Split("\r\n");
        foreach (var line in lines)
        {
            Assert.True(line.Length <= 76, $"a line of {line.Length} characters: {line}");
            Assert.DoesNotContain('\r', line);
            Assert.DoesNotContain('\n', line);
            Assert.All(line, c => Assert.True(c is '\t' or (>= ' ' and <= '~'), $"character {(int)c} in {line}"));
            Assert.False(line.EndsWith(' ') || line.EndsWith('\t'), $"whitespace ends the line: [{line}]");
            // SMTP would dot-stuff such a line; the sender sends bodies past MailKit's stuffing filter.
            Assert.False(line.StartsWith('.'), $"a line starts with a dot: [{line}]");
        }

        var decoder = new QuotedPrintableDecoder();
        var decoded = new byte[decoder.EstimateOutputLength(encoded.Length)];
        var length = decoder.Decode(encoded, 0, encoded.Length, decoded);
        var expected = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        Assert.Equal(expected, Encoding.UTF8.GetString(decoded, 0, length));
    }
}
