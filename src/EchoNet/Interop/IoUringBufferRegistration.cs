using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary><c>struct io_uring_buf_reg</c> (40 bytes): registers a provided-buffer ring with <c>IORING_REGISTER_PBUF_RING</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringBufferRegistration
{
    public ulong RingAddress;
    public uint RingEntries;
    public ushort GroupId;
    public ushort Flags;
    public ulong Reserved0;
    public ulong Reserved1;
    public ulong Reserved2;
}
