using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer.IO;

namespace Bootcamp.IntegrationTests.Infrastructure;

// A connection for SmtpServer: plain SMTP, upgraded to TLS when the sink has a certificate and the client
// asks (STARTTLS) or the endpoint is TLS from the first byte.
internal sealed class PlainTcpPipe : ISecurableDuplexPipe
{
    private readonly TcpClient client;
    private SslStream? tls;

    public PlainTcpPipe(TcpClient client)
    {
        this.client = client;
        var stream = client.GetStream();
        Input = PipeReader.Create(stream);
        Output = PipeWriter.Create(stream);
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output { get; private set; }

    public bool IsSecure => tls is not null;

    public SslProtocols SslProtocol => tls?.SslProtocol ?? SslProtocols.None;

    public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
    {
        // The client waits for the 220 to STARTTLS before its handshake, so nothing plain is left unread.
        tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: true);
        await tls.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = protocols },
            cancellationToken);
        Input = PipeReader.Create(tls);
        Output = PipeWriter.Create(tls);
    }

    public void Dispose()
    {
        tls?.Dispose();
        client.Dispose();
    }
}
