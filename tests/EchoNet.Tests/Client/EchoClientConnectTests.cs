using System.Net;
using System.Net.Sockets;

namespace EchoNet.Tests.Client;

public sealed class EchoClientConnectTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task ConnectAsync_Localhost_ReachesServerOnEitherLoopback(string serverAddress)
    {
        await using EchoServer server = new EchoServerBuilder().BindTo(IPAddress.Parse(serverAddress)).Listen(0);

        await using EchoClient client = await EchoClient.ConnectAsync("localhost", server.LocalEndPoint.Port, Bound, Token);

        Assert.Equal(IPAddress.Parse(serverAddress), ((IPEndPoint)client.RemoteEndPoint).Address);
        Assert.Equal("hello", await client.EchoAsync("hello", Token).WaitAsync(Bound, Token));
    }

    [Theory]
    [InlineData("[::1]")]
    [InlineData("::1")]
    public async Task ConnectAsync_IPv6Literal_Connects(string host)
    {
        await using EchoServer server = new EchoServerBuilder().Listen(0);

        await using EchoClient client = await EchoClient.ConnectAsync(host, server.LocalEndPoint.Port, Bound, Token);

        Assert.Equal(IPAddress.IPv6Loopback, ((IPEndPoint)client.RemoteEndPoint).Address);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ThrowsConnectExceptionThatSaysWhatToCheck()
    {
        int port = FreeTcpPort();

        EchoConnectException error = await Assert.ThrowsAsync<EchoConnectException>(
            () => EchoClient.ConnectAsync("localhost", port, Bound, Token).WaitAsync(Bound, Token));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketError);
        Assert.Equal("localhost", error.Host);
        Assert.Equal(port, error.Port);
        Assert.Contains($"localhost port {port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Is an echo server running on that port?", error.Message, StringComparison.Ordinal);
        Assert.IsType<SocketException>(error.InnerException);
    }

    [Fact]
    public async Task ConnectAsync_NoAnswer_ThrowsConnectExceptionAfterTheTimeout()
    {
        // A listener whose accept queue is full drops new SYNs, so a further connect gets no answer at all.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            Assert.True(await FillAcceptQueueAsync(port, fillers), "The listener's accept queue never filled up.");

            EchoConnectException error = await Assert.ThrowsAsync<EchoConnectException>(
                () => EchoClient.ConnectAsync("127.0.0.1", port, TimeSpan.FromMilliseconds(300), Token).WaitAsync(Bound, Token));

            Assert.Equal(SocketError.TimedOut, error.SocketError);
            Assert.IsType<TimeoutException>(error.InnerException);
            Assert.Contains($"127.0.0.1 port {port}", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            fillers.ForEach(static socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task ConnectAsync_FirstAddressNeverAnswers_NextAddressStillGetsItsShareOfTheTimeout()
    {
        // localhost tries 127.0.0.1 then ::1: a full accept queue on 127.0.0.1 and the server on ::1, same port.
        using var blackHole = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        blackHole.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        blackHole.Listen(1);
        int port = ((IPEndPoint)blackHole.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            Assert.True(await FillAcceptQueueAsync(port, fillers), "The listener's accept queue never filled up.");
            await using EchoServer server = new EchoServerBuilder().BindTo(IPAddress.IPv6Loopback).Listen(port);

            await using EchoClient client = await EchoClient.ConnectAsync("localhost", port, TimeSpan.FromSeconds(3), Token).WaitAsync(Bound, Token);

            Assert.Equal(IPAddress.IPv6Loopback, ((IPEndPoint)client.RemoteEndPoint).Address);
            Assert.Equal("through ::1", await client.EchoAsync("through ::1", Token).WaitAsync(Bound, Token));
        }
        finally
        {
            fillers.ForEach(static socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task ConnectAsync_Canceled_ThrowsOperationCanceled()
    {
        await using EchoServer server = new EchoServerBuilder().Listen(0);
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => EchoClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Bound, canceled.Token).WaitAsync(Bound, Token));
    }

    [Theory]
    [InlineData("", 7)]
    [InlineData("localhost", 0)]
    [InlineData("localhost", 65_536)]
    public async Task ConnectAsync_InvalidArguments_ThrowArgumentException(string host, int port)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => EchoClient.ConnectAsync(host, port, Bound, Token));
    }

    [Fact]
    public async Task AfterDispose_EchoAndStreamingThrowObjectDisposed_EndpointsRemain()
    {
        await using EchoServer server = new EchoServerBuilder().Listen(0);
        EchoClient client = await EchoClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Bound, Token);
        EndPoint remote = client.RemoteEndPoint;
        EndPoint local = client.LocalEndPoint;
        await client.DisposeAsync();
        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.EchoAsync("late", Token));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SendAsync(new byte[1], Token).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ReceiveAsync(new byte[1], Token).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.CompleteSendingAsync().AsTask());
        Assert.Equal((remote, local), (client.RemoteEndPoint, client.LocalEndPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port), remote);
    }

    private static async Task<bool> FillAcceptQueueAsync(int port, List<Socket> fillers)
    {
        for (int i = 0; i < 16; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            fillers.Add(socket);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(Token);
            attempt.CancelAfter(TimeSpan.FromMilliseconds(250));
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), attempt.Token);
            }
            catch (OperationCanceledException) when (!Token.IsCancellationRequested)
            {
                return true;
            }
        }

        return false;
    }

    private static int FreeTcpPort()
    {
        // Port 0 picks a port no socket holds; closing the unlistened socket leaves nothing listening there.
        using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        probe.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
