using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EchoNet.Server.Udp;

/// <summary>
/// The source address of a datagram, read from the raw <see cref="SocketAddress"/> bytes without allocating. Every
/// address is held in its IPv6 form, IPv4 ones as IPv4-mapped (<c>::ffff:a.b.c.d</c>), so a client seen through the
/// dual-stack socket and the same client seen through an IPv4 socket are one and the same source.
/// </summary>
internal readonly struct DatagramSource : IEquatable<DatagramSource>
{
    private const ulong MappedPrefix = 0x0000_FFFF_0000_0000;
    private const ulong MappedPrefixMask = 0xFFFF_FFFF_0000_0000;

    // The 128-bit address, big-endian: the first 8 bytes and the last 8 bytes.
    private readonly ulong _high;
    private readonly ulong _low;

    private DatagramSource(ulong high, ulong low)
    {
        _high = high;
        _low = low;
    }

    /// <summary>Gets whether the source is an IPv4 address (sent over IPv4, or IPv4-mapped by a dual-stack socket).</summary>
    public bool IsIPv4 => _high == 0 && (_low & MappedPrefixMask) == MappedPrefix;

    /// <summary>Gets the IPv4 address in host order; meaningful only when <see cref="IsIPv4"/>.</summary>
    public uint IPv4 => (uint)_low;

    /// <summary>
    /// Gets whether no datagram may come from this address: unspecified, "this network" (0/8), broadcast (255/8, as
    /// OpenBSD's inetd) or multicast. Answering one would reach nobody, or a whole network.
    /// </summary>
    public bool IsInvalidSource
    {
        get
        {
            if (IsIPv4)
            {
                uint firstOctet = IPv4 >> 24;
                return firstOctet is 0 or 255 || (firstOctet & 0xF0) == 0xE0;
            }

            return (_high == 0 && _low == 0) || (_high >> 56) == 0xFF;
        }
    }

    /// <summary>Gets whether the source is a loopback address (127.0.0.0/8 or <c>::1</c>): a program on this host.</summary>
    public bool IsLoopback => IsIPv4 ? IPv4 >> 24 == 127 : _high == 0 && _low == 1;

    /// <summary>
    /// Gets the key the rate limit counts under: the address for IPv4, the /64 prefix for IPv6, since one IPv6 host
    /// usually holds a whole /64 and could otherwise spread a flood over countless addresses.
    /// </summary>
    public DatagramSource RateLimitKey => IsIPv4 ? this : new DatagramSource(_high, 0);

    public static DatagramSource FromIPv4(uint address) => new(0, MappedPrefix | address);

    /// <summary>Reads the source and its port from a received address; false for a family that is not IP.</summary>
    public static bool TryRead(SocketAddress address, out DatagramSource source, out int port)
    {
        ReadOnlySpan<byte> bytes = address.Buffer.Span[..address.Size];

        // sockaddr_in and sockaddr_in6 put the port at offset 2 and the address at 4 or 8 on every platform.
        if (address.Family == AddressFamily.InterNetwork && bytes.Length >= 8)
        {
            port = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
            source = FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]));
            return true;
        }

        if (address.Family == AddressFamily.InterNetworkV6 && bytes.Length >= 24)
        {
            port = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
            source = new DatagramSource(BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]));
            return true;
        }

        port = 0;
        source = default;
        return false;
    }

    /// <summary>The address as an <see cref="IPAddress"/>, IPv4 ones unmapped: for log lines, never on the hot path.</summary>
    public IPAddress ToIPAddress()
    {
        if (IsIPv4)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, IPv4);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(v6, _high);
        BinaryPrimitives.WriteUInt64BigEndian(v6[8..], _low);
        return new IPAddress(v6);
    }

    public bool Equals(DatagramSource other) => _high == other._high && _low == other._low;

    public override bool Equals(object? obj) => obj is DatagramSource other && Equals(other);

    // HashCode is seeded per process, so forged sources cannot be picked to collide in the rate limiter's table.
    public override int GetHashCode() => HashCode.Combine(_high, _low);

    public override string ToString() => ToIPAddress().ToString();

    public static bool operator ==(DatagramSource left, DatagramSource right) => left.Equals(right);

    public static bool operator !=(DatagramSource left, DatagramSource right) => !left.Equals(right);
}
