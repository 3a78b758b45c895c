using System.Diagnostics;
using System.Net.Sockets;
using EchoNet.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EchoNet.Tests.Hardening;

/// <summary>
/// Faults every TCP model must survive, written once: reset storms, clients that close at once or go silent,
/// restarts on one port under load, and random streams checked byte for byte. Each model runs it through a sealed
/// subclass in TcpFaultTestsPerModel.cs.
/// </summary>
public abstract partial class TcpFaultTests<TModel>
    where TModel : ITcpModel
{
    /// <summary>How long a server may take to settle after a storm: the kernel and the server both have to catch up.</summary>
    private static readonly TimeSpan SettleBound = TimeSpan.FromSeconds(10);

    /// <summary>A liveness bound on a stop with no drain: it closes what is open and returns, it does not wait on clients.</summary>
    private static readonly TimeSpan PromptStopBound = TimeSpan.FromSeconds(5);

    private static EchoServer StartServer(LogRecorder? log = null, int port = 0)
    {
        EchoServerBuilder builder = TModel.Use(new EchoServerBuilder());
        return (log is null ? builder : builder.UseLoggerFactory(log)).Listen(port);
    }

    /// <summary>A fresh client is served: a message goes there and back whole, then a half-close ends it cleanly.</summary>
    private static async Task AssertFreshClientIsEchoedAsync(EchoServer server, int seed, CancellationToken cancellationToken)
    {
        using Socket client = await Loopback.ConnectAsync(server, cancellationToken);
        byte[] payload = Loopback.RandomBytes(10_000, seed);
        Assert.Equal(payload, await Loopback.EchoToEndAsync(client, payload, cancellationToken));
    }

    /// <summary>
    /// The server holds no connection any more: the kernel shows none of its connections established or in CLOSE_WAIT,
    /// every connection it logged as accepted it also logged as ended, and nothing was logged as an error.
    /// </summary>
    private static async Task AssertNoConnectionHeldAsync(EchoServer server, LogRecorder log, CancellationToken cancellationToken)
    {
        int port = server.LocalEndPoint.Port;
        int Open() => log.Count("ConnectionAccepted") - log.Count("ConnectionClosed") - log.Count("ConnectionReset") - log.Count("ConnectionFailed");
        bool settled = await Poll.UntilAsync(() => TcpConnectionTable.CountHeld(port) == 0 && Open() == 0, SettleBound, cancellationToken);

        Assert.True(settled, $"The server still holds connections: {TcpConnectionTable.CountHeld(port)} in the kernel table, {Open()} open in its log.");
        Assert.True(log.CountAtLeast(LogLevel.Error) == 0, string.Join(Environment.NewLine, log.Errors));
    }

    /// <summary>A stop with no drain returns promptly, completes the server, and had <paramref name="expectedAborted"/> connections to close.</summary>
    private static async Task AssertPromptStopAsync(EchoServer server, LogRecorder log, int expectedAborted, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await server.StopAsync(TimeSpan.Zero).WaitAsync(cancellationToken);
        watch.Stop();

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, PromptStopBound);
        Assert.True(server.Completion.IsCompletedSuccessfully);
        Assert.Equal(expectedAborted, log.Last("ServerStopped").Number("Aborted"));
    }
}
