using System.Security.Cryptography;
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
        using var certificate = SelfSignedLocalhost();
        await using var sink = await SmtpSink.StartAsync(
            security == SecureSocketOptions.None ? null : certificate,
            tlsOnConnect: security == SecureSocketOptions.SslOnConnect);
        using var client = new SmtpClient
        {
            Timeout = 10_000,
            // The test's own certificate; production keeps MailKit's validation.
            ServerCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString(),
        };

        await SmtpConnection.ConnectAsync(client, "127.0.0.1", sink.Port, security, CancellationToken.None);
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
