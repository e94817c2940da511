using System.Net.Sockets;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace Bootcamp.IntegrationTests.Infrastructure;

// Accepts connections for NoDelayListenerFactory.
internal sealed class NoDelayListener(TcpListener listener) : IEndpointListener
{
    public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
    {
        var client = await listener.AcceptTcpClientAsync(cancellationToken);
        client.NoDelay = true;
        // The same session properties as SmtpServer's own EndpointListener sets.
        context.Properties.Add(EndpointListener.LocalEndPointKey, listener.LocalEndpoint);
        context.Properties.Add(EndpointListener.RemoteEndPointKey, client.Client.RemoteEndPoint!);
        return new PlainTcpPipe(client);
    }

    public void Dispose() => listener.Stop();
}
