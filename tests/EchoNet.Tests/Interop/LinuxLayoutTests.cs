using System.Net;
using System.Runtime.InteropServices;
using EchoNet.Interop;

namespace EchoNet.Tests.Interop;

/// <summary>The structures the event loop shares with the kernel have the kernel's layout.</summary>
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
}
