using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bootcamp.Security;

/// <summary>
/// Whom a per-client rate limit counts: an IPv4 address, or an IPv6 client's /64. One home or ISP customer is
/// usually given a whole /64, so counting single IPv6 addresses would hand one person 2^64 fresh buckets.
/// </summary>
public static class ClientKey
{
    public const string Unknown = "unknown";

    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return string.Create(CultureInfo.InvariantCulture, $"{BinaryPrimitives.ReadUInt64BigEndian(bytes):x16}/64");
    }
}
