using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary>
/// The io_uring system calls, made raw (no liburing to ship), and the constants of the kernel's ABI that EchoNet uses.
/// Every call returns -1 and sets errno on failure, read with <see cref="Marshal.GetLastPInvokeError"/>.
/// </summary>
internal static unsafe partial class IoUring
{
    // System call numbers: the same on x86-64 and arm64, as every call added since 5.1 is.
    private const long SysSetup = 425;
    private const long SysEnter = 426;
    private const long SysRegister = 427;

    // io_uring_setup flags.
    public const uint SetupCqSize = 1u << 3;
    public const uint SetupClamp = 1u << 4;
    public const uint SetupSubmitAll = 1u << 7;
    public const uint SetupCoopTaskRun = 1u << 8;
    public const uint SetupSingleIssuer = 1u << 12;
    public const uint SetupDeferTaskRun = 1u << 13;

    // Features the kernel reports.
    public const uint FeatureSingleMmap = 1u << 0;
    public const uint FeatureNoDrop = 1u << 1;
    public const uint FeatureFastPoll = 1u << 5;
    public const uint FeatureExtArg = 1u << 8;

    // io_uring_enter flags.
    public const uint EnterGetEvents = 1u << 0;
    public const uint EnterExtArg = 1u << 3;

    // io_uring_register opcodes.
    public const uint RegisterBufferRing = 22;

    // Operations.
    public const byte OpPollAdd = 6;
    public const byte OpAccept = 13;
    public const byte OpAsyncCancel = 14;
    public const byte OpRead = 22;
    public const byte OpSend = 26;
    public const byte OpRecv = 27;

    // Submission flags.
    public const byte SqeBufferSelect = 1 << 5;

    // Operation flags in the submission's ioprio field.
    public const ushort AcceptMultishot = 1 << 0;
    public const ushort RecvMultishot = 1 << 1;

    // Completion flags.
    public const uint CqeBuffer = 1u << 0;
    public const uint CqeMore = 1u << 1;
    public const int CqeBufferShift = 16;

    // mmap offsets of the rings and the submission array.
    public const long OffsetSqRing = 0;
    public const long OffsetCqRing = 0x8000000;
    public const long OffsetSqes = 0x10000000;

    public const int ENOSYS = 38;
    public const int ENOBUFS = 105;
    public const int ECANCELED = 125;
    public const int ETIME = 62;
    public const int EINVAL = 22;
    public const int EPERM = 1;
    public const int EACCES = 13;
    public const int EBUSY = 16;

    public const uint MsgNoSignal = 0x4000;
    public const uint MsgWaitAll = 0x100;

    public const uint PollIn = 0x001;
    public const uint PollOut = 0x004;

    // Cancel flags: every match, and any request at all.
    public const uint CancelAll = 1u << 0;
    public const uint CancelAny = 1u << 2;

    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapShared = 0x01;
    private const int MapPopulate = 0x08000;

    public static int Setup(uint entries, IoUringParams* parameters) => (int)Syscall(SysSetup, entries, (long)parameters, 0, 0, 0, 0);

    public static int Enter(int ring, uint toSubmit, uint minComplete, uint flags, void* argument, nuint argumentSize) =>
        (int)Syscall(SysEnter, ring, toSubmit, minComplete, flags, (long)argument, (long)argumentSize);

    public static int Register(int ring, uint opcode, void* argument, uint count) => (int)Syscall(SysRegister, ring, opcode, (long)argument, count, 0, 0);

    /// <summary>Maps a region of a ring shared with the kernel; null on failure.</summary>
    public static void* MapRing(int ring, nuint length, long offset)
    {
        void* address = Mmap(null, length, ProtRead | ProtWrite, MapShared | MapPopulate, ring, offset);
        return address == (void*)-1 ? null : address;
    }

    public static int Unmap(void* address, nuint length) => Munmap(address, length);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long a, long b, long c, long d, long e, long f);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(void* address, nuint length);
}
