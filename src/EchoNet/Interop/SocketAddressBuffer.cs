using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary>
/// Room for the address <c>accept4</c> writes: <c>struct sockaddr_in</c> or <c>sockaddr_in6</c> (28 bytes), as large as
/// <c>struct sockaddr_storage</c> (128 bytes, a test checks it).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 128)]
internal unsafe struct SocketAddressBuffer
{
    private const ushort InterNetwork = 2;
    private const ushort InterNetworkV6 = 10;

    private fixed byte _bytes[128];

    /// <summary>Reads the IPv4 or IPv6 endpoint the kernel wrote; null for another family.</summary>
    public readonly IPEndPoint? ToEndPoint()
    {
        fixed (byte* bytes = _bytes)
        {
            var span = new ReadOnlySpan<byte>(bytes, 128);
            ushort family = MemoryMarshal.Read<ushort>(span);
            int port = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
            return family switch
            {
                InterNetwork => new IPEndPoint(new IPAddress(span.Slice(4, 4)), port),
                InterNetworkV6 => new IPEndPoint(new IPAddress(span.Slice(8, 16), BinaryPrimitives.ReadUInt32LittleEndian(span[24..])), port),
                _ => null,
            };
        }
    }
}
