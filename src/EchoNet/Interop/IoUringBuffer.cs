using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary>
/// <c>struct io_uring_buf</c>, one entry of a provided-buffer ring (16 bytes): where a buffer is, how long, and its id.
/// The ring's tail is the first entry's reserved field (offset 14), as the kernel's union declares it.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringBuffer
{
    public ulong Address;
    public uint Length;
    public ushort Id;
    public ushort Reserved;
}
