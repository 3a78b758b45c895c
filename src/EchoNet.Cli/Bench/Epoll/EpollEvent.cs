using System.Runtime.InteropServices;

namespace EchoNet.Cli.Bench.Epoll;

/// <summary><c>struct epoll_event</c> as x86-64 Linux lays it out: packed, 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct EpollEvent
{
    public uint Events;

    /// <summary>The connection's index in the loop.</summary>
    public ulong Data;
}
