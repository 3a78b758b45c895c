using System.Runtime.InteropServices;

namespace EchoNet.Cli.Bench.Epoll;

/// <summary>The three epoll calls of Linux the bench's own readiness loop needs.</summary>
internal static unsafe partial class EpollInterop
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;
    public const int Add = 1;
    public const int Delete = 2;
    public const int Modify = 3;
    private const int CloseOnExec = 0x80000;

    /// <summary>Gets a value indicating whether this process can use the loop: Linux on x64, where <see cref="EpollEvent"/> is packed to 12 bytes.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public static int Create() => EpollCreate1(CloseOnExec);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int Control(int epoll, int operation, int fd, EpollEvent* @event);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int Wait(int epoll, EpollEvent* events, int maxEvents, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
