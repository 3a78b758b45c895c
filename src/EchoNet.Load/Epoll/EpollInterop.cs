using System.Runtime.InteropServices;

namespace EchoNet.Load.Epoll;

/// <summary>
/// The epoll calls of Linux the engine's own readiness loop needs. Events are passed as bytes laid out by
/// <see cref="EpollEventLayout"/>, since the kernel's <c>struct epoll_event</c> differs between x64 and arm64.
/// </summary>
internal static unsafe partial class EpollInterop
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;
    public const int Add = 1;
    public const int Delete = 2;
    public const int Modify = 3;
    public const int NoSuchCall = 38;
    private const int CloseOnExec = 0x80000;

    /// <summary>Gets a value indicating whether this process can run the loop: Linux on an architecture whose event layout is declared.</summary>
    public static bool IsSupported => EpollEventLayout.Current is not null;

    public static int Create() => EpollCreate1(CloseOnExec);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int Control(int epoll, int operation, int fd, byte* @event);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int Wait(int epoll, byte* events, int maxEvents, int timeoutMilliseconds);

    /// <summary><c>epoll_pwait2</c> (Linux 5.11): a timeout in nanoseconds, for the open-loop schedule; fails with ENOSYS on older kernels.</summary>
    [LibraryImport("libc", EntryPoint = "epoll_pwait2", SetLastError = true)]
    public static partial int WaitPrecisely(int epoll, byte* events, int maxEvents, Timespec* timeout, nint signalMask);

    /// <summary><c>prctl(PR_SET_TIMERSLACK, 1)</c> for the calling thread: its timed waits end within 1 ns of their deadline instead of the default 50 µs late.</summary>
    public static int SetPreciseTimers() => PrCtl(TimerSlack, 1, 0, 0, 0);

    private const int TimerSlack = 29;

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int PrCtl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
