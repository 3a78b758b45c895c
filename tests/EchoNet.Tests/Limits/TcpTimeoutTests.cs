using System.Net.Sockets;
using EchoNet.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EchoNet.Tests.Limits;

/// <summary>
/// The idle and send-stall timeouts, written once for every TCP model: a connection that breaks one is reset and
/// counted, and the server goes on serving. The server runs on a fake clock that the tests move on, so no test
/// waits for a timeout to pass. Each model runs it through a sealed subclass in TcpTimeoutTestsPerModel.cs.
/// </summary>
public abstract class TcpTimeoutTests<TModel>
    where TModel : ITcpModel
{
    /// <summary>How far each step moves the fake clock: a tenth of the timeouts under test.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    /// <summary>The real pause between steps, so the server's threads and the client's reads run between them.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task IdleTimeout_ResetsAClientThatFallsSilent_AndServesTheNext()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = TModel.Use(new EchoServerBuilder()).UseTimeProvider(_time).UseIdleTimeout(TimeSpan.FromSeconds(1)).Listen(0);
        byte[] payload = Loopback.RandomBytes(100, seed: 8);
        using Socket silent = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal(payload, await Loopback.EchoOnceAsync(silent, payload, timeout.Token));

        Task closed = Loopback.ServerClosedAsync(silent, timeout.Token);
        await MoveTimeOnUntilAsync(closed, timeout.Token);

        Assert.Equal(1, server.Statistics.TimedOutConnections);
        using Socket next = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal(payload, await Loopback.EchoOnceAsync(next, payload, timeout.Token));
    }

    [Fact]
    public async Task IdleTimeout_SparesAClientThatKeepsSending()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = TModel.Use(new EchoServerBuilder()).UseTimeProvider(_time).UseIdleTimeout(TimeSpan.FromSeconds(1)).Listen(0);
        byte[] payload = Loopback.RandomBytes(100, seed: 9);
        using Socket busy = await Loopback.ConnectAsync(server, timeout.Token);

        // Five seconds of the server's clock, with an echo every half second of it: never a second without a byte.
        for (int i = 0; i < 50; i++)
        {
            if (i % 5 == 0)
            {
                Assert.Equal(payload, await Loopback.EchoOnceAsync(busy, payload, timeout.Token));
            }

            _time.Advance(Step);
        }

        Assert.Equal(payload, await Loopback.EchoOnceAsync(busy, payload, timeout.Token));
        Assert.Equal(0, server.Statistics.TimedOutConnections);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SendStallTimeout_ClosesAClientThatDoesNotTakeItsEcho(bool readsATrickle)
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = TModel.Use(new EchoServerBuilder())
            .UseTimeProvider(_time)
            .Configure(o => o.SendStallTimeout = TimeSpan.FromSeconds(1))
            .Listen(0);

        // A small receive buffer, set before the handshake so the window the client advertises is one its kernel
        // keeps: the server's echo soon has nowhere to go, while the client's own flood still gets through.
        using var hog = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await hog.ConnectAsync(Loopback.EndPointOf(server), timeout.Token);

        // Sends until the server stops reading it, and reads nothing or a trickle (256 bytes every 10 ms, under a
        // tenth of a read's echo, 64 KiB, per second of the server's clock): progress, but each read's echo is taken
        // too slowly. The server must close the hog, which fails the flood.
        Task flooding = Loopback.SendAllAsync(hog, Loopback.RandomBytes(64 << 20, seed: 12), timeout.Token);
        Task reading = readsATrickle ? TrickleAsync(hog, timeout.Token) : Task.CompletedTask;
        await MoveTimeOnUntilAsync(flooding, timeout.Token);
        Exception? ended = await Record.ExceptionAsync(() => flooding);
        Assert.True(
            ended is SocketException,
            $"the flood ended with {ended?.GetType().Name ?? "no error"} instead of a reset; the server counted {server.Statistics}; the kernel holds {TcpConnectionTable.DescribeQueues(server.LocalEndPoint.Port)}");
        await reading;

        Assert.Equal(1, server.Statistics.TimedOutConnections);
        using Socket other = await Loopback.ConnectAsync(server, timeout.Token);
        byte[] probe = Loopback.RandomBytes(100, seed: 7);
        Assert.Equal(probe, await Loopback.EchoOnceAsync(other, probe, timeout.Token));
    }

    /// <summary>
    /// Moves the server's clock on a step at a time, with a real pause between steps, until <paramref name="done"/>
    /// ends or the test's bound passes.
    /// </summary>
    private async Task MoveTimeOnUntilAsync(Task done, CancellationToken cancellationToken)
    {
        while (!done.IsCompleted && !cancellationToken.IsCancellationRequested)
        {
            _time.Advance(Step);
            await Task.WhenAny(done, Task.Delay(Pause, cancellationToken));
        }
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
}
