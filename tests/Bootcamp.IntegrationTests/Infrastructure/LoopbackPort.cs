using System.Net;
using System.Net.Sockets;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>A loopback port free at the moment of asking (see TestHost for what to do when it is taken by the time it is bound).</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
