using System.Runtime.InteropServices;

namespace EchoNet.Load.Epoll;

/// <summary><c>struct timespec</c> of 64-bit Linux (x64 and arm64 alike): two 64-bit fields, 16 bytes (a test checks it).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    public long Seconds;

    public long Nanoseconds;

    public static Timespec FromNanoseconds(long nanoseconds) => new() { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
}
