using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Net;

namespace Bootcamp.IntegrationTests.Infrastructure;

// SmtpServer's own listener leaves Nagle's algorithm on: a reply written right after another (MAIL and
// RCPT answered to a pipelining client) then waits ~40 ms for the client's delayed ACK, capping a
// connection at ~25 messages a second. This one turns it off.
internal sealed class NoDelayListenerFactory : IEndpointListenerFactory
{
    private readonly TaskCompletionSource<int> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The port actually bound, once listening: the endpoint asks for port 0.
    public Task<int> Listening => listening.Task;

    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        var listener = new TcpListener(endpointDefinition.Endpoint);
        listener.Start(backlog: 512);
        listening.TrySetResult(((IPEndPoint)listener.LocalEndpoint).Port);
        return new NoDelayListener(listener);
    }
}
