using System.Net;
using System.Net.Sockets;
using EchoNet.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EchoNet.Tests.Limits;

/// <summary>
/// Connection limits, the idle timeout at scale, and the statistics that count them, written once for the models
/// that hold many connections at once, each through a sealed subclass in TcpLimitTestsPerModel.cs. (The iterative
/// model holds one connection at a time, so a limit never refuses anyone there and it has no line; the timeouts of
/// every model are <see cref="TcpTimeoutTests{TModel}"/>.)
/// </summary>
public abstract class TcpLimitTests<TModel>
    where TModel : ITcpModel
{
    /// <summary>How far the server's clock moves between two echoes of the busy client: a tenth of the idle timeout.</summary>
    private static readonly TimeSpan IdleStep = TimeSpan.FromMilliseconds(200);

    protected TcpLimitTests() =>
        Assert.True(TModel.ServesClientsConcurrently, $"{typeof(TModel).Name} serves one client at a time: the limits never refuse anyone there.");

    [Fact]
    public async Task MaxConnections_RefusesTheExtraClients_CountsThem_AndKeepsEchoingTheAdmitted()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        const int Max = 5;
        const int Extra = 50;
        await using EchoServer server = TModel.Use(new EchoServerBuilder()).UseConnectionLimits(Max).Listen(0);
        var admitted = new List<Socket>();
        for (int i = 0; i < Max; i++)
        {
            admitted.Add(await Loopback.ConnectAsync(server, timeout.Token));
            Assert.Equal(Payload(i), await Loopback.EchoOnceAsync(admitted[i], Payload(i), timeout.Token));
        }

        for (int i = 0; i < Extra; i++)
        {
            await RefusedAsync(server, timeout.Token);
        }

        Assert.Equal(Extra, server.Statistics.RejectedConnections);
        Assert.Equal(Max, server.Statistics.ActiveConnections);
        for (int i = 0; i < Max; i++)
        {
            Assert.Equal(Payload(i + 10), await Loopback.EchoOnceAsync(admitted[i], Payload(i + 10), timeout.Token));
        }

        admitted.ForEach(client => client.Dispose());
    }

    [Fact]
    public async Task MaxConnectionsPerSource_RefusesOneSource_WhileAnotherIsServed()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = TModel.Use(new EchoServerBuilder()).UseConnectionLimits(100, maxConnectionsPerSource: 2).Listen(0);
        using Socket first = await Loopback.ConnectAsync(server, timeout.Token);
        using Socket second = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal(Payload(1), await Loopback.EchoOnceAsync(first, Payload(1), timeout.Token));
        Assert.Equal(Payload(2), await Loopback.EchoOnceAsync(second, Payload(2), timeout.Token));

        await RefusedAsync(server, timeout.Token);

        // 127.0.0.2 is another source on the same loopback interface.
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        await other.ConnectAsync(Loopback.EndPointOf(server), timeout.Token);
        Assert.Equal(Payload(3), await Loopback.EchoOnceAsync(other, Payload(3), timeout.Token));
        Assert.Equal(1, server.Statistics.RejectedConnections);
    }

    [Fact]
    public async Task IdleTimeout_ClosesIdleClients_KeepsBusyOnes_AndServesNewOnes()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        const int Idle = 500;
        var time = new FakeTimeProvider();
        await using EchoServer server = TModel.Use(new EchoServerBuilder()).UseTimeProvider(time).UseIdleTimeout(IdleStep * 10).Listen(0);
        using Socket busy = await Loopback.ConnectAsync(server, timeout.Token);
        var idle = new List<Socket>();
        for (int i = 0; i < Idle; i++)
        {
            idle.Add(await Loopback.ConnectAsync(server, timeout.Token));
        }

        Task idleClosed = Task.WhenAll(idle.Select(client => Loopback.ServerClosedAsync(client, timeout.Token)));
        while (!idleClosed.IsCompleted)
        {
            // The busy client talks every step of the server's clock, well inside the timeout: it must outlive the
            // idle ones. Its echo, not a pause, paces the clock.
            Assert.Equal(Payload(4), await Loopback.EchoOnceAsync(busy, Payload(4), timeout.Token));
            time.Advance(IdleStep);
        }

        await idleClosed;
        Assert.Equal(Idle, server.Statistics.TimedOutConnections);
        Assert.Equal(Payload(5), await Loopback.EchoOnceAsync(busy, Payload(5), timeout.Token));
        using Socket fresh = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal(Payload(6), await Loopback.EchoOnceAsync(fresh, Payload(6), timeout.Token));
        idle.ForEach(client => client.Dispose());
    }

    [Fact]
    public async Task Statistics_CountConnectionsAndBytes()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = TModel.Use(new EchoServerBuilder()).Listen(0);
        for (int i = 0; i < 3; i++)
        {
            using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
            Assert.Equal(1000, (await Loopback.EchoToEndAsync(client, Loopback.RandomBytes(1000, seed: i), timeout.Token)).Length);
        }

        Assert.Equal(3, server.Statistics.AcceptedConnections);
        Assert.Equal(3000, server.Statistics.BytesReceived);
        Assert.Equal(3000, server.Statistics.BytesSent);
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
}
