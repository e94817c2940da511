using System.Globalization;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>
/// Which process sent each message: the sink knows each message's client port; Linux knows which process
/// holds the socket on that port (/proc/net/tcp{,6} maps the port to a socket inode, /proc/&lt;pid&gt;/fd
/// to its owner). Sampled while sending, so a connection closed before the end is still attributed.
/// </summary>
internal sealed class SenderAttribution(int sinkPort, IReadOnlyList<int> pids)
{
    private readonly Dictionary<int, int> processByClientPort = [];

    /// <summary>Records every current connection of the watched processes to the sink.</summary>
    public void Sample()
    {
        var owners = new Dictionary<long, int>();
        foreach (var pid in pids)
        {
            foreach (var inode in SocketInodes(pid))
            {
                owners[inode] = pid;
            }
        }
        foreach (var (clientPort, inode) in ConnectionsTo(sinkPort))
        {
            if (owners.TryGetValue(inode, out var pid))
            {
                processByClientPort[clientPort] = pid;
            }
        }
    }

    /// <summary>The watched processes seen connected to the sink so far.</summary>
    public IReadOnlySet<int> Connected => processByClientPort.Values.ToHashSet();

    /// <summary>The process that held <paramref name="clientPort"/>, or null when it was never seen.</summary>
    public int? ProcessOf(int clientPort) => processByClientPort.TryGetValue(clientPort, out var pid) ? pid : null;

    private static IEnumerable<long> SocketInodes(int pid)
    {
        string[] fds;
        try
        {
            fds = Directory.GetFiles($"/proc/{pid}/fd");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var fd in fds)
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            // "socket:[12345]"
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.Integer, CultureInfo.InvariantCulture, out var inode))
            {
                yield return inode;
            }
        }
    }

    // Lines of /proc/net/tcp and tcp6: "sl local_address:PORT rem_address:PORT st … uid timeout inode",
    // addresses and ports in hex. The host's dual-mode sockets show up in tcp6 as ::ffff:127.0.0.1.
    private static IEnumerable<(int ClientPort, long Inode)> ConnectionsTo(int serverPort)
    {
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(table);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var line in lines.Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || Port(f[2]) != serverPort)
                {
                    continue;
                }
                yield return (Port(f[1]), long.Parse(f[9], CultureInfo.InvariantCulture));
            }
        }
    }

    private static int Port(string addressAndPort) =>
        int.Parse(addressAndPort.AsSpan(addressAndPort.LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
