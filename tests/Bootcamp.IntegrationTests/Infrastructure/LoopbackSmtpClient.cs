using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Bootcamp.IntegrationTests.Infrastructure;

// MailKit clients for a server on 127.0.0.1.
internal static class LoopbackSmtpClient
{
    // MailKit's own ConnectAsync(host, port) leaves Nagle's algorithm on, and every message then waits
    // ~40 ms for a delayed ACK; a socket of our own with NoDelay avoids that.
    public static async Task<SmtpClient> ConnectAsync(int port, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new SmtpClient();
        var connected = false;
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            await client.ConnectAsync(socket, "127.0.0.1", port, SecureSocketOptions.None, cancellationToken);
            connected = true;
            return client;
        }
        finally
        {
            if (!connected)
            {
                client.Dispose();
                socket.Dispose();
            }
        }
    }
}
