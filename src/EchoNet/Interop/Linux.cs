using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary>
/// The Linux system calls the event loop makes itself: epoll, eventfd, and the socket calls on raw descriptors. The
/// one place EchoNet calls the C library; every call returns -1 and sets errno on failure, read with
/// <see cref="Marshal.GetLastPInvokeError"/>.
/// </summary>
internal static unsafe partial class Linux
{
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollError = 0x008;
    public const uint EpollHangUp = 0x010;
    public const uint EpollReadHangUp = 0x2000;
    public const uint EpollExclusive = 1u << 28;
    public const uint EpollEdgeTriggered = 1u << 31;
    public const int EpollAdd = 1;
    public const int EpollDelete = 2;

    public const int EAGAIN = 11;
    public const int EINTR = 4;
    public const int EMFILE = 24;
    public const int ENFILE = 23;
    public const int ENOBUFS = 105;
    public const int ENOMEM = 12;
    public const int ECONNABORTED = 103;
    public const int EPERM = 1;

    public const int CloseOnExec = 0x80000;
    public const int NonBlocking = 0x800;
    private const int MsgNoSignal = 0x4000;
    private const int SolSocket = 1;
    private const int SoLinger = 13;
    private const int IpProtoTcp = 6;
    private const int TcpNoDelay = 1;
    private const int ShutWrite = 1;

    /// <summary>Gets whether this process can run the event loop: Linux on x64, the layout <see cref="EpollEvent"/> is declared for.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public static int EpollCreate() => EpollCreate1(CloseOnExec);

    /// <summary>The <see cref="System.Net.Sockets.SocketError"/> a connection's failure with <paramref name="errno"/> means, as the runtime maps it.</summary>
    public static System.Net.Sockets.SocketError ToSocketError(int errno) => errno switch
    {
        104 => System.Net.Sockets.SocketError.ConnectionReset,
        32 => System.Net.Sockets.SocketError.Shutdown,
        103 => System.Net.Sockets.SocketError.ConnectionAborted,
        110 => System.Net.Sockets.SocketError.TimedOut,
        107 => System.Net.Sockets.SocketError.NotConnected,
        113 => System.Net.Sockets.SocketError.HostUnreachable,
        101 => System.Net.Sockets.SocketError.NetworkUnreachable,
        ENOBUFS or ENOMEM => System.Net.Sockets.SocketError.NoBufferSpaceAvailable,
        EMFILE or ENFILE => System.Net.Sockets.SocketError.TooManyOpenSockets,
        _ => System.Net.Sockets.SocketError.SocketError,
    };

    public static int EventFdCreate() => EventFd(0, CloseOnExec | NonBlocking);

    /// <summary>Accepts a connection, non-blocking and close-on-exec, with the peer's address in <paramref name="address"/>.</summary>
    public static int Accept(int listener, SocketAddressBuffer* address)
    {
        int length = sizeof(SocketAddressBuffer);
        return Accept4(listener, address, &length, NonBlocking | CloseOnExec);
    }

    /// <summary>Reads the address of the peer of <paramref name="fd"/> into <paramref name="address"/>.</summary>
    public static int PeerAddress(int fd, SocketAddressBuffer* address)
    {
        int length = sizeof(SocketAddressBuffer);
        return GetPeerName(fd, address, &length);
    }

    public static long Receive(int fd, byte* buffer, int length) => Recv(fd, buffer, length, 0);

    /// <summary>Sends without SIGPIPE: a peer that has gone is an error code, not a signal.</summary>
    public static long Send(int fd, byte* buffer, int length) => SendCall(fd, buffer, length, MsgNoSignal);

    public static int ShutdownSend(int fd) => Shutdown(fd, ShutWrite);

    public static void SetNoDelay(int fd)
    {
        int on = 1;
        _ = SetSockOpt(fd, IpProtoTcp, TcpNoDelay, &on, sizeof(int));
    }

    /// <summary>Closes with a reset rather than a FIN: linger on, zero seconds.</summary>
    public static int CloseWithReset(int fd)
    {
        Linger linger = new() { OnOff = 1, Seconds = 0 };
        _ = SetSockOpt(fd, SolSocket, SoLinger, &linger, sizeof(Linger));
        return Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollControl(int epoll, int operation, int fd, EpollEvent* @event);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epoll, EpollEvent* events, int maxEvents, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial long Read(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial long Write(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "accept4", SetLastError = true)]
    private static partial int Accept4(int fd, SocketAddressBuffer* address, int* length, int flags);

    [LibraryImport("libc", EntryPoint = "getpeername", SetLastError = true)]
    private static partial int GetPeerName(int fd, SocketAddressBuffer* address, int* length);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial long Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial long SendCall(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int Shutdown(int fd, int how);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct Linger
    {
        public int OnOff;
        public int Seconds;
    }
}
