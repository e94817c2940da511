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

    /// <summary>
    /// A free port other than <paramref name="taken"/>: a port asked for a moment ago is free again until its
    /// listener binds, so two asks in a row can get the same one (a host's two listeners, say).
    /// </summary>
    public static int FreeOtherThan(int taken)
    {
        while (true)
        {
            var port = Free();
            if (port != taken)
            {
                return port;
            }
        }
    }
}
