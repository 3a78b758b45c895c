using System.Net;
using System.Net.Sockets;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Servers;

/// <summary>Binding: errors a user can act on, address reuse that does not share, and sharing when asked.</summary>
public sealed class BindingTests
{
    [Theory]
    [InlineData(EchoTransports.Tcp)]
    [InlineData(EchoTransports.Udp)]
    public async Task PortInUse_ThrowsEchoBindException_NamingThePortAndTheRemedy(EchoTransports transport)
    {
        using var holder = new Socket(AddressFamily.InterNetworkV6, transport == EchoTransports.Tcp ? SocketType.Stream : SocketType.Dgram, transport == EchoTransports.Tcp ? ProtocolType.Tcp : ProtocolType.Udp) { DualMode = true };
        holder.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        if (transport == EchoTransports.Tcp)
        {
            holder.Listen();
        }

        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        EchoServerBuilder builder = new EchoServerBuilder().Configure(o => o.Transports = transport);

        EchoBindException error = Assert.Throws<EchoBindException>(() => builder.Listen(port));

        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketError);
        Assert.Equal(transport, error.Transport);
        Assert.Equal(port, ((IPEndPoint)error.EndPoint).Port);
        Assert.IsType<SocketException>(error.InnerException);
        Assert.Contains($"port {port} is already in use", error.Message, StringComparison.Ordinal);
        Assert.Contains("choose another port", error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task SecondServer_OnTheSamePort_Fails_EvenWithAddressReuse()
    {
        await using EchoServer first = new EchoServerBuilder().Listen(0);

        EchoBindException error = Assert.Throws<EchoBindException>(() => new EchoServerBuilder().Listen(first.LocalEndPoint.Port));

        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketError);
    }

    [Fact]
    public async Task SecondServer_OnTheSamePort_Binds_WhenBothAskToSharePort()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer first = new EchoServerBuilder().UsePortSharing().Listen(0);

        await using EchoServer second = new EchoServerBuilder().UsePortSharing().Listen(first.LocalEndPoint.Port);

        Assert.Equal(first.LocalEndPoint.Port, second.LocalEndPoint.Port);
        using Socket client = await Loopback.ConnectAsync(second, timeout.Token);
        Assert.Equal("shared"u8.ToArray(), await Loopback.EchoToEndAsync(client, "shared"u8.ToArray(), timeout.Token));
    }

    [Fact]
    public void AddressNotOnThisHost_ThrowsEchoBindException_SayingSo()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a host, so binding fails before any traffic.
        EchoServerBuilder builder = new EchoServerBuilder().BindTo(IPAddress.Parse("192.0.2.1"));

        EchoBindException error = Assert.Throws<EchoBindException>(() => builder.Listen(0));

        Assert.Equal(SocketError.AddressNotAvailable, error.SocketError);
        Assert.Contains("not assigned to any interface", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindTo_Loopback_ListensThereOnly()
    {
        await using EchoServer server = new EchoServerBuilder().BindTo(IPAddress.Loopback).Listen(0);

        Assert.Equal(IPAddress.Loopback, server.LocalEndPoint.Address);
    }

    [Fact]
    public async Task ReuseAddress_DoesNotSetSoReusePort()
    {
        await using EchoServer server = new EchoServerBuilder().BindTo(IPAddress.Loopback).Listen(0);

        // A plain socket that asks for SO_REUSEPORT must still be refused: the server did not open the port to sharing.
        using var intruder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        intruder.SetRawSocketOption(1, 15, BitConverter.GetBytes(1));
        SocketException error = Assert.Throws<SocketException>(() => intruder.Bind(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port)));
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }
}
