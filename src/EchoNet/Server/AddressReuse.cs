using System.Net.Sockets;

namespace EchoNet.Server;

/// <summary>
/// Sets <c>SO_REUSEADDR</c> and <c>SO_REUSEPORT</c> one at a time, as raw options. .NET's
/// <see cref="SocketOptionName.ReuseAddress"/> sets both at once on Linux, which would let a second server share
/// the port without asking.
/// </summary>
internal static class AddressReuse
{
    public static void Apply(Socket socket, EchoServerOptions options)
    {
        if (options.ReuseAddress && !OperatingSystem.IsWindows())
        {
            SetFlag(socket, ReuseAddressOption);
        }

        if (options.PortSharing)
        {
            SetFlag(socket, ReusePortOption);
        }
    }

    private static int SocketLevel => OperatingSystem.IsLinux() ? 1 : 0xffff;

    private static int ReuseAddressOption => OperatingSystem.IsLinux() ? 2 : 0x4;

    private static int ReusePortOption => OperatingSystem.IsLinux() ? 15 : 0x200;

    private static void SetFlag(Socket socket, int option)
    {
        Span<byte> one = stackalloc byte[sizeof(int)];
        BitConverter.TryWriteBytes(one, 1);
        socket.SetRawSocketOption(SocketLevel, option, one);
    }
}
