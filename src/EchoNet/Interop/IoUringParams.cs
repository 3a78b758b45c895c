using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary>
/// <c>struct io_uring_params</c> (120 bytes, a test checks it): what <c>io_uring_setup</c> is asked for, and what it
/// answers: the ring sizes it chose, the features the kernel has, and where each ring's fields lie in its mapping.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringParams
{
    public uint SqEntries;
    public uint CqEntries;
    public uint Flags;
    public uint SqThreadCpu;
    public uint SqThreadIdle;
    public uint Features;
    public uint WqFd;
    public uint Reserved0;
    public uint Reserved1;
    public uint Reserved2;
    public SubmissionOffsets SqOffsets;
    public CompletionOffsets CqOffsets;

    /// <summary><c>struct io_sqring_offsets</c>: byte offsets into the submission ring's mapping.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SubmissionOffsets
    {
        public uint Head;
        public uint Tail;
        public uint RingMask;
        public uint RingEntries;
        public uint Flags;
        public uint Dropped;
        public uint Array;
        public uint Reserved;
        public ulong UserAddress;
    }

    /// <summary><c>struct io_cqring_offsets</c>: byte offsets into the completion ring's mapping.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CompletionOffsets
    {
        public uint Head;
        public uint Tail;
        public uint RingMask;
        public uint RingEntries;
        public uint Overflow;
        public uint Cqes;
        public uint Flags;
        public uint Reserved;
        public ulong UserAddress;
    }
}
