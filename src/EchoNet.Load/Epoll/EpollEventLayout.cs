using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EchoNet.Load.Epoll;

/// <summary>
/// Where <c>struct epoll_event</c> keeps its two fields on this architecture. The kernel packs it on x86-64 only
/// (<c>__EPOLL_PACKED</c>): 12 bytes, the 64-bit data right after the 32-bit event mask at offset 4. arm64 lays it
/// out naturally: 16 bytes, the data aligned to 8 at offset 8. The loop reads and writes events through this, and
/// refuses to run on an architecture not declared here rather than guess.
/// </summary>
internal readonly struct EpollEventLayout
{
    private EpollEventLayout(int size, int dataOffset)
    {
        Size = size;
        DataOffset = dataOffset;
    }

    /// <summary>Gets the size of one event, as arrays of them are strided.</summary>
    public int Size { get; }

    /// <summary>Gets the offset of the 64-bit data; the 32-bit event mask is at 0.</summary>
    public int DataOffset { get; }

    /// <summary>Gets the layout of this process's architecture on Linux, or null where there is none declared (or no epoll).</summary>
    public static EpollEventLayout? Current => OperatingSystem.IsLinux() ? For(RuntimeInformation.ProcessArchitecture) : null;

    /// <summary>The layout the Linux kernel uses on <paramref name="architecture"/>, or null for one not declared here.</summary>
    public static EpollEventLayout? For(Architecture architecture) => architecture switch
    {
        Architecture.X64 => new EpollEventLayout(12, 4),
        Architecture.Arm64 => new EpollEventLayout(16, 8),
        _ => null,
    };

    /// <summary>The layout of this process, or a clear error where the loop cannot run.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux, or an architecture whose layout is not declared.</exception>
    public static EpollEventLayout Require() => Current ?? throw Unsupported(RuntimeInformation.ProcessArchitecture);

    /// <summary>The error for a process that cannot run the loop on <paramref name="architecture"/>.</summary>
    public static PlatformNotSupportedException Unsupported(Architecture architecture) => new(
        $"The load engine's epoll loop declares struct epoll_event for Linux on x64 and arm64 only; this process runs on {(OperatingSystem.IsLinux() ? "Linux" : "another OS")} {architecture}. "
        + "Run it without the epoll loop (BenchSettings.UseEpoll = false), on the runtime's async sockets.");

    public unsafe void Write(byte* events, int index, uint mask, ulong data)
    {
        byte* slot = events + (index * Size);
        Unsafe.WriteUnaligned(slot, mask);
        Unsafe.WriteUnaligned(slot + DataOffset, data);
    }

    public unsafe uint MaskAt(byte* events, int index) => Unsafe.ReadUnaligned<uint>(events + (index * Size));

    public unsafe ulong DataAt(byte* events, int index) => Unsafe.ReadUnaligned<ulong>(events + (index * Size) + DataOffset);
}
