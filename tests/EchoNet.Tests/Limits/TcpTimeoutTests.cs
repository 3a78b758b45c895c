using System.Net.Sockets;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Limits;

/// <summary>
/// The idle and send-stall timeouts, written once for every TCP model: a connection that breaks one is reset and
/// counted, and the server goes on serving.
/// </summary>
public abstract class TcpTimeoutTests
{
    protected abstract EchoServerBuilder UseModel(EchoServerBuilder builder);

    [Fact]
    public async Task IdleTimeout_ResetsAClientThatFallsSilent_AndServesTheNext()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = UseModel(new EchoServerBuilder()).UseIdleTimeout(TimeSpan.FromSeconds(1)).Listen(0);
        byte[] payload = Loopback.RandomBytes(100, seed: 8);
        using Socket silent = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal(payload, await Loopback.EchoOnceAsync(silent, payload, timeout.Token));

        await Loopback.ServerClosedAsync(silent, timeout.Token);

        Assert.Equal(1, server.Statistics.TimedOutConnections);
        using Socket next = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal(payload, await Loopback.EchoOnceAsync(next, payload, timeout.Token));
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
        byte[] probe = Loopback.RandomBytes(100, seed: 7);
        Assert.Equal(probe, await Loopback.EchoOnceAsync(other, probe, timeout.Token));
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
