using System.Net;
using System.Net.Sockets;

namespace EchoNet.Tests.Client;

public sealed class EchoUdpClientTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EchoAsync_Datagram_ReturnsSameBytes()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Token);
        byte[] data = [1, 2, 3, 0, 0xFF];

        Assert.Equal(data, await client.EchoAsync(data, Token).WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task ConnectAsync_KnowsWhereItTalksAndFromWhere()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().BindTo(IPAddress.Loopback).Listen(0);
        int port = server.LocalEndPoint.Port;

        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("127.0.0.1", port, cancellationToken: Token);

        Assert.Equal(("127.0.0.1", port), (client.Host, client.Port));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), client.RemoteEndPoint);
        Assert.Equal(IPAddress.Loopback, client.LocalEndPoint.Address);
        Assert.NotEqual(0, client.LocalEndPoint.Port);
    }

    [Fact]
    public async Task EchoAsync_Text_RoundTripsUtf8()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Token);

        Assert.Equal("hého ✓ 😀", await client.EchoAsync("hého ✓ 😀", Token).WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task EchoAsync_EmptyDatagram_ReturnsEmptyDatagram()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Token);

        Assert.Empty(await client.EchoAsync(ReadOnlyMemory<byte>.Empty, Token).WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task EchoAsync_ManyDatagrams_EachReturnsItsOwnBytes()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Token);

        for (int i = 0; i < 200; i++)
        {
            Assert.Equal($"datagram {i}", await client.EchoAsync($"datagram {i}", Token).WaitAsync(Bound, Token));
        }
    }

    [Theory]
    [InlineData("127.0.0.1", 65_507)]
    [InlineData("::1", 65_527)]
    public async Task EchoAsync_LargestDatagram_ReturnsSameBytes(string address, int size)
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().BindTo(IPAddress.Parse(address)).Listen(0);
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync(address, server.LocalEndPoint.Port, cancellationToken: Token);
        byte[] data = new byte[size];
        new Random(size).NextBytes(data);

        byte[] echo = await client.EchoAsync(data, Token).WaitAsync(Bound, Token);

        Assert.Equal(size, echo.Length);
        Assert.True(data.AsSpan().SequenceEqual(echo), "The echo of the largest datagram differs from what was sent.");
    }

    [Fact]
    public async Task EchoAsync_DatagramTooLarge_ThrowsBeforeSending()
    {
        await using LossyUdpEchoServer server = new(lose: 0);
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("127.0.0.1", server.Port, cancellationToken: Token);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.EchoAsync(new byte[65_508], Token).WaitAsync(Bound, Token));
        Assert.Equal(0, server.DatagramsReceived);
    }

    [Fact]
    public async Task EchoAsync_FirstDatagramLost_RetryGetsTheEcho()
    {
        await using LossyUdpEchoServer server = new(lose: 1);
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("127.0.0.1", server.Port, TimeSpan.FromMilliseconds(500), retries: 2, Token);

        Assert.Equal("again", await client.EchoAsync("again", Token).WaitAsync(Bound, Token));

        // The second datagram was echoed; a third goes out only if that echo took longer than the timeout.
        Assert.InRange(server.DatagramsReceived, 2, 3);
    }

    [Fact]
    public async Task EchoAsync_NoEchoEver_ThrowsTimeoutAfterEveryRetry()
    {
        await using LossyUdpEchoServer server = new(lose: int.MaxValue);
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("127.0.0.1", server.Port, TimeSpan.FromMilliseconds(100), retries: 2, Token);

        TimeoutException error = await Assert.ThrowsAsync<TimeoutException>(() => client.EchoAsync("anyone?", Token).WaitAsync(Bound, Token));

        await server.WaitForDatagramsAsync(3, Bound, Token);
        Assert.Equal(3, server.DatagramsReceived);
        Assert.Contains($"port {server.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 datagram(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EchoAsync_NothingListening_ThrowsConnectExceptionNamingThePort()
    {
        int port = FreeUdpPort();
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("127.0.0.1", port, TimeSpan.FromSeconds(5), retries: 0, Token);

        EchoConnectException error = await Assert.ThrowsAsync<EchoConnectException>(() => client.EchoAsync("hello?", Token).WaitAsync(Bound, Token));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketError);
        Assert.Equal(EchoTransports.Udp, error.Transport);
        Assert.Contains($"port {port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Is a UDP echo server running", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task EchoAsync_Localhost_ReachesServerOnEitherLoopback(string serverAddress)
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().BindTo(IPAddress.Parse(serverAddress)).Listen(0);
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("localhost", server.LocalEndPoint.Port, TimeSpan.FromSeconds(5), retries: 0, Token);

        Assert.Equal("local", await client.EchoAsync("local", Token).WaitAsync(Bound, Token));
        Assert.Equal(IPAddress.Parse(serverAddress), client.RemoteEndPoint.Address);
    }

    [Fact]
    public async Task TcpAndUdpOnOnePort_BothEcho()
    {
        await using EchoServer server = new EchoServerBuilder().UseTcp().UseUdp().Listen(0);
        int port = server.LocalEndPoint.Port;
        await using EchoClient tcp = await EchoClient.ConnectAsync("localhost", port, Bound, Token);
        await using EchoUdpClient udp = await EchoUdpClient.ConnectAsync("localhost", port, cancellationToken: Token);

        Assert.Equal("over tcp", await tcp.EchoAsync("over tcp", Token).WaitAsync(Bound, Token));
        Assert.Equal("over udp", await udp.EchoAsync("over udp", Token).WaitAsync(Bound, Token));
    }

    [Theory]
    [InlineData("", 7, 1_000, 2)]
    [InlineData(" ", 7, 1_000, 2)]
    [InlineData("localhost", 0, 1_000, 2)]
    [InlineData("localhost", 65_536, 1_000, 2)]
    [InlineData("localhost", 7, 0, 2)]
    [InlineData("localhost", 7, -5, 2)]
    [InlineData("localhost", 7, 1_000, -1)]
    public async Task ConnectAsync_InvalidArguments_ThrowArgumentException(string host, int port, int replyTimeoutMs, int retries)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => EchoUdpClient.ConnectAsync(host, port, TimeSpan.FromMilliseconds(replyTimeoutMs), retries, Token));
    }

    [Fact]
    public async Task ConnectAsync_InfiniteReplyTimeout_IsAllowed()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Timeout.InfiniteTimeSpan, retries: 0, Token);

        Assert.Equal("no limit", await client.EchoAsync("no limit", Token).WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task AfterDispose_EchoAndEndpointsThrowObjectDisposed()
    {
        await using LossyUdpEchoServer server = new(lose: 0);
        EchoUdpClient client = await EchoUdpClient.ConnectAsync("127.0.0.1", server.Port, cancellationToken: Token);
        await client.DisposeAsync();
        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.EchoAsync("late", Token));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.EchoAsync(new byte[1], Token));
        Assert.Throws<ObjectDisposedException>(() => client.RemoteEndPoint);
        Assert.Throws<ObjectDisposedException>(() => client.LocalEndPoint);
        Assert.Equal(0, server.DatagramsReceived);
    }

    private static int FreeUdpPort()
    {
        // Port 0 picks a port no socket holds; closing the socket leaves nothing listening there.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
