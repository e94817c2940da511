using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer.IO;

namespace Bootcamp.IntegrationTests.Infrastructure;

// A connection for SmtpServer without STARTTLS: the sink only speaks plain SMTP on loopback.
internal sealed class PlainTcpPipe : ISecurableDuplexPipe
{
    private readonly TcpClient client;

    public PlainTcpPipe(TcpClient client)
    {
        this.client = client;
        var stream = client.GetStream();
        Input = PipeReader.Create(stream);
        Output = PipeWriter.Create(stream);
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public bool IsSecure => false;

    public SslProtocols SslProtocol => SslProtocols.None;

    public Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The SMTP sink does not offer TLS.");

    public void Dispose() => client.Dispose();
}
