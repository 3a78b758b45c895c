using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary>
/// <c>struct epoll_event</c> as the x86-64 kernel lays it out: packed, so the 64-bit data follows the 32-bit event mask
/// at offset 4 and the whole is 12 bytes (a test checks both).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct EpollEvent
{
    /// <summary>The event mask: <see cref="Linux.EpollIn"/>, <see cref="Linux.EpollOut"/> and the rest.</summary>
    public uint Events;

    /// <summary>What the loop gave the kernel for this descriptor, returned with each of its events.</summary>
    public ulong Data;
}
