using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary>
/// <c>struct io_uring_cqe</c>, one completion (16 bytes): the submission's user data, its result (a count, a
/// descriptor, or minus an errno), and flags such as whether more completions follow and which buffer was used.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringCqe
{
    public ulong UserData;
    public int Result;
    public uint Flags;
}
