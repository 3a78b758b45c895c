using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary>
/// <c>struct io_uring_sqe</c>, one submission (64 bytes, a test checks the offsets): the operation, its descriptor and
/// buffer, and the user data its completions carry back. Fields unions name are given the meaning EchoNet uses.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct IoUringSqe
{
    [FieldOffset(0)] public byte Opcode;
    [FieldOffset(1)] public byte Flags;

    /// <summary>For accept and receive, the multishot flags (<c>IORING_ACCEPT_MULTISHOT</c>, <c>IORING_RECV_MULTISHOT</c>).</summary>
    [FieldOffset(2)] public ushort IoPriority;
    [FieldOffset(4)] public int Fd;

    /// <summary>The offset, or for a cancel nothing; <c>off</c>/<c>addr2</c>.</summary>
    [FieldOffset(8)] public ulong Offset;

    /// <summary>The buffer, or for a cancel the user data to cancel.</summary>
    [FieldOffset(16)] public ulong Address;
    [FieldOffset(24)] public uint Length;

    /// <summary>The operation's own flags: <c>accept_flags</c>, <c>msg_flags</c>, <c>poll32_events</c>, <c>cancel_flags</c>.</summary>
    [FieldOffset(28)] public uint OperationFlags;
    [FieldOffset(32)] public ulong UserData;

    /// <summary>The provided-buffer group a receive with <c>IOSQE_BUFFER_SELECT</c> takes its buffer from.</summary>
    [FieldOffset(40)] public ushort BufferGroup;
    [FieldOffset(42)] public ushort Personality;
    [FieldOffset(44)] public int FileIndex;
    [FieldOffset(48)] public ulong Address3;
    [FieldOffset(56)] public ulong Padding;
}
