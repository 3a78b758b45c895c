using System.Net;
using System.Net.Sockets;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Servers;

/// <summary>The UDP server: one answering datagram per datagram, whatever its size, to IPv4 and IPv6 clients.</summary>
public sealed class UdpEchoServerTests
{
    public static TheoryData<int, bool> SizesAndFamilies()
    {
        var data = new TheoryData<int, bool>();
        foreach (int size in new[] { 0, 1, 1500, 8193, 65_507 })
        {
            data.Add(size, false);
            data.Add(size, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SizesAndFamilies))]
    public async Task Datagram_ComesBackIdentical(int size, bool ipv6)
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        AddressFamily family = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        using var client = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(Loopback.EndPointOf(server, family));
        byte[] payload = Loopback.RandomBytes(size, seed: size);

        byte[] reply = await RoundTripAsync(client, payload, timeout.Token);

        Assert.Equal(payload, reply);
    }

    [Fact]
    public async Task ManyDatagrams_EachGetOneAnswer()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(Loopback.EndPointOf(server));

        for (int i = 0; i < 200; i++)
        {
            byte[] payload = BitConverter.GetBytes(i);
            Assert.Equal(payload, await RoundTripAsync(client, payload, timeout.Token));
        }
    }

    [Fact]
    public async Task TcpAndUdp_ServeTheSamePort()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UseTcp().UseUdp().Listen(0);

        Assert.Equal([EchoTransports.Tcp, EchoTransports.Udp], server.Bindings.Select(b => b.Transport));
        Assert.All(server.Bindings, b => Assert.Equal(server.LocalEndPoint.Port, ((IPEndPoint)b.EndPoint).Port));
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Connect(Loopback.EndPointOf(server));
        Assert.Equal("udp"u8.ToArray(), await RoundTripAsync(udp, "udp"u8.ToArray(), timeout.Token));
        using Socket tcp = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal("tcp"u8.ToArray(), await Loopback.EchoToEndAsync(tcp, "tcp"u8.ToArray(), timeout.Token));
    }

    [Fact]
    public async Task StopAsync_ClosesTheSocket_AndCompletes()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        int port = server.LocalEndPoint.Port;

        await server.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(timeout.Token);

        Assert.True(server.Completion.IsCompletedSuccessfully);
        await using EchoServer again = new EchoServerBuilder().UseUdp().Listen(port);
        Assert.Equal(port, again.LocalEndPoint.Port);
    }

    [Theory]
    [InlineData("127.0.0.1", 0)]
    [InlineData("127.0.0.1", 65_507)]
    [InlineData("::1", 65_527)]
    public async Task PythonClient_GetsItsDatagramBack(string host, int size)
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        byte[] payload = Loopback.RandomBytes(size, seed: size + 1);
        string port = server.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        byte[] reply = await ExternalClient.RunAsync("python3", ["-c", ExternalClient.PythonUdpClient, host, port], payload, timeout.Token);

        Assert.Equal(payload, reply);
    }

    [Fact]
    public async Task SocatClient_GetsItsDatagramBack()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        byte[] payload = Loopback.RandomBytes(1500, seed: 11);

        // -b: read the whole datagram; -t: how long to wait for the answer after the input ends.
        byte[] reply = await ExternalClient.RunAsync("socat", ["-b", "65536", "-t", "5", "-", $"UDP:127.0.0.1:{server.LocalEndPoint.Port}"], payload, timeout.Token);

        Assert.Equal(payload, reply);
    }

    /// <summary>
    /// Sends one datagram and waits for the answer. Loopback does not lose datagrams under this light load, so a
    /// single try with a timeout is a fair test.
    /// </summary>
    private static async Task<byte[]> RoundTripAsync(Socket client, byte[] payload, CancellationToken cancellationToken)
    {
        await client.SendAsync(payload, SocketFlags.None, cancellationToken);
        byte[] buffer = new byte[65_536];
        int received = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        return buffer[..received];
    }
}
