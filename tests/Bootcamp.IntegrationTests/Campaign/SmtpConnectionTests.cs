using System.Security.Cryptography;
using System.Text;
using System.Security.Cryptography.X509Certificates;
using Bootcamp.Delivery;
using Bootcamp.IntegrationTests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Bootcamp.IntegrationTests.Campaign;

/// <summary>
/// The connection recipe every SMTP connection uses (NoDelay socket, a lesson-sized write buffer under
/// MailKit) against a real server, in plain text and under both kinds of TLS: buffered writes must still
/// reach the server whole, through the handshake and between messages.
/// </summary>
public sealed class SmtpConnectionTests
{
    public static TheoryData<SecureSocketOptions> Securities => [SecureSocketOptions.None, SecureSocketOptions.StartTls, SecureSocketOptions.SslOnConnect];

    [Theory]
    [MemberData(nameof(Securities))]
    public async Task Messages_larger_than_the_buffer_and_smaller_arrive_whole_one_after_another_on_one_connection(SecureSocketOptions security)
    {
        await using var connected = await Connected.OpenAsync(security);
        var (sink, client) = (connected.Sink, connected.Client);
        Assert.Equal(security != SecureSocketOptions.None, client.IsSecure);

        // Across the buffer: a few bytes, just under, several times over, and a lesson's size.
        int[] sizes = [10, SmtpConnection.WriteBufferSize - 500, 3 * SmtpConnection.WriteBufferSize + 17, 19_000];
        foreach (var (size, i) in sizes.Select((s, i) => (s, i)))
        {
            await client.SendAsync(Message(i, size));
        }
        await client.DisconnectAsync(quit: true);

        var received = await sink.WaitForAsync(m => m.Count == sizes.Length, TimeSpan.FromSeconds(15));
        foreach (var (size, i) in sizes.Select((s, i) => (s, i)))
        {
            var text = received.Single(m => m.Message.Subject == $"message {i}").Message.TextBody;
            // The last line break belongs to the message structure, not the body.
            Assert.Equal(Body(i, size).TrimEnd('\n'), text?.ReplaceLineEndings("\n").TrimEnd('\n'));
        }
        Assert.Equal(1, sink.ConnectionCount);
    }

    /// <summary>
    /// The sender's bodies go to the socket past MailKit's dot-stuffing filter (<see cref="WireMessage"/>) when no line
    /// needs stuffing: a lesson whose text has lines of dots must still arrive byte for byte, and so must a body that
    /// does need stuffing, which takes the filter; in plain text and under both kinds of TLS (MailKit's stream then
    /// writes through TLS, under the filter as above it).
    /// </summary>
    [Theory]
    [MemberData(nameof(Securities))]
    public async Task Prepared_messages_arrive_byte_for_byte_whether_or_not_a_line_starts_with_a_dot(SecureSocketOptions security)
    {
        await using var connected = await Connected.OpenAsync(security);
        var (sink, client) = (connected.Sink, connected.Client);
        var factory = new MessageFactory(
            new Bootcamp.Lessons.CampaignOptions { PublicBaseUrl = "https://bootcamp.example.org", From = "Bootcamp <bootcamp@example.org>" }.Senders,
            new Bootcamp.Security.AppSecrets { AddressHashKey = new byte[32], LinkTokenKey = new byte[32] }, TimeProvider.System);
        var dotted = ".one\n..two\n...\n" + string.Concat(Enumerable.Repeat(new string('x', 74) + ".y\n", 40)) + ".\n";
        var lesson = factory.Build("reader0@example.org", discreet: false,
            new RenderedEmail("Day 1", "preheader", $"<p>{dotted}</p>\n.<p>end</p>\n", dotted), "id-0@example.org", "https://bootcamp.example.org/u/abc");
        // Hand-made, as no body the wire format writes is: lines that SMTP must stuff.
        var stuffed = new OutgoingMessage(lesson.Head, "text\r\n.dotted\r\n..two\r\n.\r\nend\r\n"u8.ToArray(), lesson.From, MailboxAddress.Parse("reader1@example.org"), "id-1@example.org");
        Assert.True(DotStuffing.NeedsNoStuffing(lesson.Body));
        Assert.False(DotStuffing.NeedsNoStuffing(stuffed.Body));

        var wire = new WireMessage();
        foreach (var message in new[] { lesson, stuffed, lesson })
        {
            await client.SendAsync(wire.Carrying(message), message.From, [message.To]);
        }
        await client.DisconnectAsync(quit: true);

        var received = await sink.WaitForAsync(m => m.Count == 3, TimeSpan.FromSeconds(15));
        var got = received.Select(m => Encoding.ASCII.GetString(m.Raw.Span)).ToArray();
        Assert.Equal(Text(lesson), got[0]);
        Assert.Equal(Text(stuffed), got[1]);
        Assert.Equal(Text(lesson), got[2]);
    }

    // The sink keeps a message without the CRLF that ends its last line (it reads that one as the end of DATA's).
    private static string Text(OutgoingMessage message) => Encoding.ASCII.GetString(message.ToBytes())[..^2];

    private static MimeMessage Message(int i, int size)
    {
        var message = new MimeMessage { Subject = $"message {i}" };
        message.From.Add(MailboxAddress.Parse("bootcamp@example.org"));
        message.To.Add(MailboxAddress.Parse($"reader{i}@example.org"));
        message.Body = new TextPart("plain") { Text = Body(i, size), ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        return message;
    }

    // Lines of varied text (and a leading dot now and then, which SMTP must stuff) to the given size.
    private static string Body(int i, int size)
    {
        var lines = new List<string>();
        var length = 0;
        for (var n = 0; length < size; n++)
        {
            var line = (n % 11 == 0 ? "." : string.Empty) + $"message {i} line {n}: " + new string((char)('a' + n % 26), n % 70) + "|";
            lines.Add(line);
            length += line.Length + 1;
        }
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>A sink (with TLS as asked, on the test's own certificate) and a client connected to it by the sender's recipe.</summary>
    private sealed record Connected(SmtpSink Sink, SmtpClient Client, X509Certificate2 Certificate) : IAsyncDisposable
    {
        public static async Task<Connected> OpenAsync(SecureSocketOptions security)
        {
            var certificate = SelfSignedLocalhost();
            var sink = await SmtpSink.StartAsync(
                security == SecureSocketOptions.None ? null : certificate,
                tlsOnConnect: security == SecureSocketOptions.SslOnConnect);
            var client = new SmtpClient
            {
                Timeout = 10_000,
                // The test's own certificate; production keeps MailKit's validation.
                ServerCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString(),
            };
            await SmtpConnection.ConnectAsync(client, "127.0.0.1", sink.Port, security, CancellationToken.None);
            return new Connected(sink, client, certificate);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Sink.DisposeAsync();
            Certificate.Dispose();
        }
    }

    private static X509Certificate2 SelfSignedLocalhost()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // SslStream on Linux wants the private key from a PKCS#12 import, not the ephemeral one.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}
