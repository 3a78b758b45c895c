using System.Net;
using System.Net.Sockets;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Limits;

/// <summary>
/// Connection limits, idle and send-stall timeouts, and the statistics that count them, written once for the models
/// that hold many connections at once. (The iterative model holds one connection at a time, so a limit never
/// refuses anyone there; its timeouts are the blocking socket timeouts the thread-per-client model shares.)
/// </summary>
public abstract class TcpLimitTests
{
    protected abstract EchoServerBuilder UseModel(EchoServerBuilder builder);

    [Fact]
    public async Task MaxConnections_RefusesTheExtraClients_CountsThem_AndKeepsEchoingTheAdmitted()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        const int Max = 5;
        const int Extra = 50;
        await using EchoServer server = UseModel(new EchoServerBuilder()).UseConnectionLimits(Max).Listen(0);
        var admitted = new List<Socket>();
        for (int i = 0; i < Max; i++)
        {
            admitted.Add(await Loopback.ConnectAsync(server, timeout.Token));
            Assert.Equal(Payload(i), await EchoOnceAsync(admitted[i], Payload(i), timeout.Token));
        }

        for (int i = 0; i < Extra; i++)
        {
            await RefusedAsync(server, timeout.Token);
        }

        Assert.Equal(Extra, server.Statistics.RejectedConnections);
        Assert.Equal(Max, server.Statistics.ActiveConnections);
        for (int i = 0; i < Max; i++)
        {
            Assert.Equal(Payload(i + 10), await EchoOnceAsync(admitted[i], Payload(i + 10), timeout.Token));
        }

        admitted.ForEach(client => client.Dispose());
    }

    [Fact]
    public async Task MaxConnectionsPerSource_RefusesOneSource_WhileAnotherIsServed()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = UseModel(new EchoServerBuilder()).UseConnectionLimits(100, maxConnectionsPerSource: 2).Listen(0);
        using Socket first = await Loopback.ConnectAsync(server, timeout.Token);
        using Socket second = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal(Payload(1), await EchoOnceAsync(first, Payload(1), timeout.Token));
        Assert.Equal(Payload(2), await EchoOnceAsync(second, Payload(2), timeout.Token));

        await RefusedAsync(server, timeout.Token);

        // 127.0.0.2 is another source on the same loopback interface.
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        await other.ConnectAsync(Loopback.EndPointOf(server), timeout.Token);
        Assert.Equal(Payload(3), await EchoOnceAsync(other, Payload(3), timeout.Token));
        Assert.Equal(1, server.Statistics.RejectedConnections);
    }

    [Fact]
    public async Task IdleTimeout_ClosesIdleClients_KeepsBusyOnes_AndServesNewOnes()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        const int Idle = 500;
        await using EchoServer server = UseModel(new EchoServerBuilder()).UseIdleTimeout(TimeSpan.FromSeconds(2)).Listen(0);
        using Socket busy = await Loopback.ConnectAsync(server, timeout.Token);
        var idle = new List<Socket>();
        for (int i = 0; i < Idle; i++)
        {
            idle.Add(await Loopback.ConnectAsync(server, timeout.Token));
        }

        Task idleClosed = Task.WhenAll(idle.Select(client => Loopback.ServerClosedAsync(client, timeout.Token)));
        while (!idleClosed.IsCompleted)
        {
            // Talks every 200 ms, well inside the timeout: it must outlive the idle ones.
            Assert.Equal(Payload(4), await EchoOnceAsync(busy, Payload(4), timeout.Token));
            await Task.WhenAny(idleClosed, Task.Delay(200, timeout.Token));
        }

        await idleClosed;
        Assert.Equal(Idle, server.Statistics.TimedOutConnections);
        Assert.Equal(Payload(5), await EchoOnceAsync(busy, Payload(5), timeout.Token));
        using Socket fresh = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal(Payload(6), await EchoOnceAsync(fresh, Payload(6), timeout.Token));
        idle.ForEach(client => client.Dispose());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SendStallTimeout_ClosesAClientThatDoesNotTakeItsEcho(bool readsATrickle)
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = UseModel(new EchoServerBuilder())
            .Configure(o => o.SendStallTimeout = TimeSpan.FromSeconds(1))
            .Listen(0);
        using Socket hog = await Loopback.ConnectAsync(server, timeout.Token);
        hog.ReceiveBufferSize = 4096;

        // Sends until the server stops reading it, and reads nothing or a trickle (256 bytes every 10 ms: progress,
        // but less than a read's echo, 64 KiB, a second). The server must close the hog, which fails the send.
        Task flooding = Loopback.SendAllAsync(hog, Loopback.RandomBytes(64 << 20, seed: 12), timeout.Token);
        Task reading = readsATrickle ? TrickleAsync(hog, timeout.Token) : Task.CompletedTask;
        Exception? ended = await Record.ExceptionAsync(() => flooding);
        Assert.True(ended is SocketException, $"the flood ended with {ended?.GetType().Name ?? "no error"} instead of a reset; the server counted {server.Statistics}");
        await reading;

        Assert.Equal(1, server.Statistics.TimedOutConnections);
        using Socket other = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal(Payload(7), await EchoOnceAsync(other, Payload(7), timeout.Token));
    }

    [Fact]
    public async Task Statistics_CountConnectionsAndBytes()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = UseModel(new EchoServerBuilder()).Listen(0);
        for (int i = 0; i < 3; i++)
        {
            using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
            Assert.Equal(1000, (await Loopback.EchoToEndAsync(client, Loopback.RandomBytes(1000, seed: i), timeout.Token)).Length);
        }

        Assert.Equal(3, server.Statistics.AcceptedConnections);
        Assert.Equal(3000, server.Statistics.BytesReceived);
        Assert.Equal(3000, server.Statistics.BytesSent);
    }

    /// <summary>Reads a little at a time until the connection ends, by the server's reset or its end of stream.</summary>
    private static async Task TrickleAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] sip = new byte[256];
        try
        {
            while (await socket.ReceiveAsync(sip, cancellationToken) > 0)
            {
                await Task.Delay(10, cancellationToken);
            }
        }
        catch (SocketException)
        {
            // The reset this test waits for.
        }
    }

    /// <summary>Connects and returns once the server has reset the connection: during the handshake's last step, or after it.</summary>
    private static async Task RefusedAsync(EchoServer server, CancellationToken cancellationToken)
    {
        Socket client;
        try
        {
            client = await Loopback.ConnectAsync(server, cancellationToken);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return;
        }

        using (client)
        {
            await Loopback.ServerClosedAsync(client, cancellationToken);
        }
    }

    private static byte[] Payload(int seed) => Loopback.RandomBytes(100, seed);

    private static async Task<byte[]> EchoOnceAsync(Socket client, byte[] payload, CancellationToken cancellationToken)
    {
        await Loopback.SendAllAsync(client, payload, cancellationToken);
        return await Loopback.ReceiveExactlyAsync(client, payload.Length, cancellationToken);
    }
}
