using System.Net;
using System.Net.Sockets;

namespace EchoNet.Tests.Client;

public sealed class UdpEchoClientTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EchoAsync_Datagram_ReturnsSameBytes()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        await using EchoClient client = await EchoClient.ConnectUdpAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Token);
        byte[] data = [1, 2, 3, 0, 0xFF];

        Assert.Equal(EchoTransports.Udp, client.Transport);
        Assert.Equal(data, await client.EchoAsync(data, Token).WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task EchoAsync_Text_RoundTripsUtf8()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        await using EchoClient client = await EchoClient.ConnectUdpAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Token);

        Assert.Equal("hého ✓ 😀", await client.EchoAsync("hého ✓ 😀", Token).WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task EchoAsync_EmptyDatagram_ReturnsEmptyDatagram()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        await using EchoClient client = await EchoClient.ConnectUdpAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Token);

        Assert.Empty(await client.EchoAsync(ReadOnlyMemory<byte>.Empty, Token).WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task EchoAsync_ManyDatagrams_EachReturnsItsOwnBytes()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        await using EchoClient client = await EchoClient.ConnectUdpAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Token);

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
        await using EchoClient client = await EchoClient.ConnectUdpAsync(address, server.LocalEndPoint.Port, cancellationToken: Token);
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
        await using EchoClient client = await EchoClient.ConnectUdpAsync("127.0.0.1", server.Port, cancellationToken: Token);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.EchoAsync(new byte[65_508], Token).WaitAsync(Bound, Token));
        Assert.Equal(0, server.DatagramsReceived);
    }

    [Fact]
    public async Task EchoAsync_FirstDatagramLost_RetryGetsTheEcho()
    {
        await using LossyUdpEchoServer server = new(lose: 1);
        await using EchoClient client = await EchoClient.ConnectUdpAsync("127.0.0.1", server.Port, TimeSpan.FromMilliseconds(500), retries: 2, Token);

        Assert.Equal("again", await client.EchoAsync("again", Token).WaitAsync(Bound, Token));

        // The second datagram was echoed; a third goes out only if that echo took longer than the timeout.
        Assert.InRange(server.DatagramsReceived, 2, 3);
    }

    [Fact]
    public async Task EchoAsync_NoEchoEver_ThrowsTimeoutAfterEveryRetry()
    {
        await using LossyUdpEchoServer server = new(lose: int.MaxValue);
        await using EchoClient client = await EchoClient.ConnectUdpAsync("127.0.0.1", server.Port, TimeSpan.FromMilliseconds(100), retries: 2, Token);

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
        await using EchoClient client = await EchoClient.ConnectUdpAsync("127.0.0.1", port, TimeSpan.FromSeconds(5), retries: 0, Token);

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
        await using EchoClient client = await EchoClient.ConnectUdpAsync("localhost", server.LocalEndPoint.Port, TimeSpan.FromSeconds(5), retries: 0, Token);

        Assert.Equal("local", await client.EchoAsync("local", Token).WaitAsync(Bound, Token));
        Assert.Equal(IPAddress.Parse(serverAddress), client.RemoteEndPoint.Address);
    }

    [Fact]
    public async Task TcpAndUdpOnOnePort_BothEcho()
    {
        await using EchoServer server = new EchoServerBuilder().UseTcp().UseUdp().Listen(0);
        int port = server.LocalEndPoint.Port;
        await using EchoClient tcp = await EchoClient.ConnectAsync("localhost", port, Bound, Token);
        await using EchoClient udp = await EchoClient.ConnectUdpAsync("localhost", port, cancellationToken: Token);

        Assert.Equal("over tcp", await tcp.EchoAsync("over tcp", Token).WaitAsync(Bound, Token));
        Assert.Equal("over udp", await udp.EchoAsync("over udp", Token).WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task Streaming_OnUdpClient_ThrowsInvalidOperation()
    {
        await using LossyUdpEchoServer server = new(lose: 0);
        await using EchoClient client = await EchoClient.ConnectUdpAsync("127.0.0.1", server.Port, cancellationToken: Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendAsync(new byte[1], Token).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.CompleteSendingAsync().AsTask());
    }

    private static int FreeUdpPort()
    {
        // Port 0 picks a port no socket holds; closing the socket leaves nothing listening there.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
