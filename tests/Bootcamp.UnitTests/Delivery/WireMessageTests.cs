using System.Text;
using Bootcamp.Delivery;
using Bootcamp.Lessons;
using Bootcamp.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Bootcamp.UnitTests.Delivery;

/// <summary>
/// Messages are written once, in their wire form, and handed to MailKit through <see cref="WireMessage"/>:
/// what MimeKit writes for it must be those bytes exactly, and they must read back as the email that was
/// rendered.
/// </summary>
public sealed class WireMessageTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 10, 6, 0, 0, TimeSpan.Zero);

    private static MessageFactory Factory(string from = "Surviving Infidelity Bootcamp <bootcamp@example.org>") => new(
        new CampaignOptions { PublicBaseUrl = "https://bootcamp.example.org", From = from }.Senders,
        new AppSecrets { AddressHashKey = new byte[32], LinkTokenKey = new byte[32] },
        new FakeTimeProvider(Now));

    private static RenderedEmail Email(string subject = "Day 2 of 7") => new(subject, "preheader",
        "<p>Caf\u00e9 = \u201ccoffee\u201d.</p>\n<p>" + new string('x', 300) + "</p>\n.\n", "Caf\u00e9 = \u201ccoffee\u201d.\n.\nA line ending in spaces   \nend");

    [Fact]
    public async Task MimeKit_writes_the_prepared_bytes_exactly_sync_and_async()
    {
        var message = Factory().Build("reader@example.org", discreet: false, Email(), "id-1@example.org", "https://bootcamp.example.org/u/abc");
        var wire = new WireMessage().Carrying(message);
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;

        using var sync = new MemoryStream();
        wire.WriteTo(options, sync);
        using var async = new MemoryStream();
        await wire.WriteToAsync(options, async);
        using var headersOnly = new MemoryStream();
        wire.WriteTo(options, headersOnly, headersOnly: true);

        Assert.Equal(message.ToBytes(), sync.ToArray());
        Assert.Equal(message.ToBytes(), async.ToArray());
        Assert.Equal([.. message.Head, (byte)'\r', (byte)'\n'], headersOnly.ToArray());
    }

    [Fact]
    public void One_wire_message_carries_each_message_in_turn()
    {
        var factory = Factory();
        var wire = new WireMessage();
        foreach (var (to, subject) in new[] { ("a@example.org", "First"), ("b@example.org", "Second, a longer one") })
        {
            var message = factory.Build(to, discreet: false, Email(subject), $"{to}-id@example.org", unsubscribeUrl: null);
            using var written = new MemoryStream();
            wire.Carrying(message).WriteTo(written);

            var parsed = MimeMessage.Load(new MemoryStream(written.ToArray()));
            Assert.Equal(to, parsed.To.Mailboxes.Single().Address);
            Assert.Equal(subject, parsed.Subject);
        }
    }

    [Fact]
    public void The_message_reads_back_as_the_rendered_email()
    {
        var email = Email("Day 3 \u2014 the \u201chard\u201d part, with a subject long enough that it has to be folded somewhere along the way");
        var message = Factory("Surviving \u201cInfidelity\u201d Bootcamp, Inc. <bootcamp@example.org>")
            .Build("reader@example.org", discreet: false, email, "id-2@example.org", "https://bootcamp.example.org/u/abc");

        var parsed = message.ToMimeMessage();

        Assert.Equal(email.Subject, parsed.Subject);
        Assert.Equal(("Surviving \u201cInfidelity\u201d Bootcamp, Inc.", "bootcamp@example.org"), (parsed.From.Mailboxes.Single().Name, parsed.From.Mailboxes.Single().Address));
        Assert.Equal("id-2@example.org", parsed.MessageId);
        Assert.Equal(Now, parsed.Date);
        Assert.Equal("<https://bootcamp.example.org/u/abc>", parsed.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", parsed.Headers["List-Unsubscribe-Post"]);
        Assert.Equal("1.0", parsed.Headers[HeaderId.MimeVersion]);
        var body = Assert.IsType<MultipartAlternative>(parsed.Body);
        Assert.Equal(["text/plain", "text/html"], body.Select(p => p.ContentType.MimeType));
        Assert.Equal(email.Text, parsed.TextBody?.ReplaceLineEndings("\n"));
        Assert.Equal(email.Html, parsed.HtmlBody?.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Every_line_is_7_bit_and_short_and_a_subject_cannot_add_headers()
    {
        var message = Factory().Build("reader@example.org", discreet: false, Email("Hello\r\nBcc: everyone@example.org"), "id-3@example.org", unsubscribeUrl: null);
        var text = Encoding.Latin1.GetString(message.ToBytes());

        Assert.All(text.Split("\r\n"), line =>
        {
            Assert.True(line.Length <= 78, line);
            Assert.All(line, c => Assert.InRange(c, ' ', '~'));
        });
        Assert.DoesNotContain("\nBcc:", text, StringComparison.Ordinal);
        Assert.Empty(message.ToMimeMessage().Bcc);
    }
}
