using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary><c>struct io_uring_getevents_arg</c> (24 bytes): the wait's timeout, passed with <c>IORING_ENTER_EXT_ARG</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringWaitArgument
{
    public ulong SignalMask;
    public uint SignalMaskSize;
    public uint MinWaitMicroseconds;
    public ulong Timeout;
}

/// <summary><c>struct __kernel_timespec</c>: 64-bit seconds and nanoseconds.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KernelTimespec
{
    public long Seconds;
    public long Nanoseconds;
}
