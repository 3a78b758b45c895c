using System.Net;
using System.Runtime.InteropServices;
using EchoNet.Interop;

namespace EchoNet.Tests.Interop;

/// <summary>The structures the event loop shares with the kernel have the kernel's layout (include/uapi/linux/io_uring.h, eventpoll.h).</summary>
public sealed class LinuxLayoutTests
{
    [Fact]
    public void EpollEvent_IsPacked_As_x86_64_Declares_It()
    {
        Assert.Equal(12, Marshal.SizeOf<EpollEvent>());
        Assert.Equal(0, (int)Marshal.OffsetOf<EpollEvent>(nameof(EpollEvent.Events)));
        Assert.Equal(4, (int)Marshal.OffsetOf<EpollEvent>(nameof(EpollEvent.Data)));
    }

    [Fact]
    public void SocketAddressBuffer_HoldsASocketAddressStorage()
    {
        Assert.Equal(128, Marshal.SizeOf<SocketAddressBuffer>());
    }

    [Theory]
    [InlineData("127.0.0.1", 7777)]
    [InlineData("::1", 65535)]
    [InlineData("::ffff:192.0.2.1", 1)]
    public unsafe void SocketAddressBuffer_ReadsTheEndPointTheKernelWrote(string address, int port)
    {
        // The bytes the kernel writes are those of .NET's own SocketAddress for the same endpoint.
        var endPoint = new IPEndPoint(IPAddress.Parse(address), port);
        SocketAddress written = endPoint.Serialize();
        SocketAddressBuffer buffer = default;
        var bytes = new Span<byte>(&buffer, sizeof(SocketAddressBuffer));
        written.Buffer.Span.CopyTo(bytes);

        Assert.Equal(endPoint, buffer.ToEndPoint());
    }

    [Fact]
    public void IoUringParams_HasTheKernelsLayout()
    {
        Assert.Equal(120, Marshal.SizeOf<IoUringParams>());
        Assert.Equal(40, (int)Marshal.OffsetOf<IoUringParams>(nameof(IoUringParams.SqOffsets)));
        Assert.Equal(80, (int)Marshal.OffsetOf<IoUringParams>(nameof(IoUringParams.CqOffsets)));
        Assert.Equal(40, Marshal.SizeOf<IoUringParams.SubmissionOffsets>());
        Assert.Equal(24, (int)Marshal.OffsetOf<IoUringParams.SubmissionOffsets>(nameof(IoUringParams.SubmissionOffsets.Array)));
        Assert.Equal(20, (int)Marshal.OffsetOf<IoUringParams.CompletionOffsets>(nameof(IoUringParams.CompletionOffsets.Cqes)));
    }

    [Theory]
    [InlineData(nameof(IoUringSqe.Opcode), 0)]
    [InlineData(nameof(IoUringSqe.Flags), 1)]
    [InlineData(nameof(IoUringSqe.IoPriority), 2)]
    [InlineData(nameof(IoUringSqe.Fd), 4)]
    [InlineData(nameof(IoUringSqe.Offset), 8)]
    [InlineData(nameof(IoUringSqe.Address), 16)]
    [InlineData(nameof(IoUringSqe.Length), 24)]
    [InlineData(nameof(IoUringSqe.OperationFlags), 28)]
    [InlineData(nameof(IoUringSqe.UserData), 32)]
    [InlineData(nameof(IoUringSqe.BufferGroup), 40)]
    [InlineData(nameof(IoUringSqe.FileIndex), 44)]
    public void IoUringSqe_HasTheKernelsLayout(string field, int offset)
    {
        Assert.Equal(64, Marshal.SizeOf<IoUringSqe>());
        Assert.Equal(offset, (int)Marshal.OffsetOf<IoUringSqe>(field));
    }

    [Fact]
    public void IoUringCompletionAndBufferStructures_HaveTheKernelsLayout()
    {
        Assert.Equal(16, Marshal.SizeOf<IoUringCqe>());
        Assert.Equal(8, (int)Marshal.OffsetOf<IoUringCqe>(nameof(IoUringCqe.Result)));
        Assert.Equal(12, (int)Marshal.OffsetOf<IoUringCqe>(nameof(IoUringCqe.Flags)));

        // The buffer ring's tail is the first entry's reserved field: offset 14, as ProvidedBufferRing writes it.
        Assert.Equal(16, Marshal.SizeOf<IoUringBuffer>());
        Assert.Equal(12, (int)Marshal.OffsetOf<IoUringBuffer>(nameof(IoUringBuffer.Id)));
        Assert.Equal(14, (int)Marshal.OffsetOf<IoUringBuffer>(nameof(IoUringBuffer.Reserved)));
        Assert.Equal(40, Marshal.SizeOf<IoUringBufferRegistration>());
        Assert.Equal(12, (int)Marshal.OffsetOf<IoUringBufferRegistration>(nameof(IoUringBufferRegistration.GroupId)));
        Assert.Equal(24, Marshal.SizeOf<IoUringWaitArgument>());
        Assert.Equal(16, (int)Marshal.OffsetOf<IoUringWaitArgument>(nameof(IoUringWaitArgument.Timeout)));
        Assert.Equal(16, Marshal.SizeOf<KernelTimespec>());
    }
}
