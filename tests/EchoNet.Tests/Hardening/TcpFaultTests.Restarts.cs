using System.Net.Sockets;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

/// <summary>Stopping and starting again on the same port while clients are connected and echoing.</summary>
public abstract partial class TcpFaultTests<TModel>
{
    private const int RestartCycles = 50;

    [Fact]
    public async Task FiftyStopStartCycles_OnOnePort_WithLiveClients_EveryStartSucceeds_AndEveryCycleEchoes()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource(TimeSpan.FromSeconds(60));
        int liveClients = TModel.ServesClientsConcurrently ? 3 : 1;
        EchoServer server = StartBelowTheEphemeralRange();
        int port = server.LocalEndPoint.Port;
        try
        {
            for (int cycle = 0; cycle < RestartCycles; cycle++)
            {
                var clients = new Socket[liveClients];
                var loops = new Task<int>[liveClients];
                try
                {
                    for (int i = 0; i < liveClients; i++)
                    {
                        clients[i] = await Loopback.ConnectAsync(server, timeout.Token);
                        byte[] message = Loopback.RandomBytes(512, seed: cycle * 10 + i);
                        await Loopback.RoundTripAsync(clients[i], message, timeout.Token);
                        loops[i] = Loopback.RoundTripUntilServerClosesAsync(clients[i], message, timeout.Token);
                    }

                    // Half the cycles stop at once; the others give the busy clients a short drain that runs out.
                    TimeSpan drain = cycle % 2 == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(20);
                    await server.StopAsync(drain).WaitAsync(timeout.Token);
                    Assert.True(server.Completion.IsCompletedSuccessfully, $"Cycle {cycle}: the server did not stop cleanly.");
                    await Task.WhenAll(loops).WaitAsync(timeout.Token);
                }
                finally
                {
                    foreach (Socket? client in clients)
                    {
                        client?.Dispose();
                    }
                }

                try
                {
                    server = StartServer(port: port);
                }
                catch (EchoBindException e)
                {
                    Assert.Fail($"Cycle {cycle}: the server could not start again on port {port}: {e.Message}");
                }

                Assert.Equal(port, server.LocalEndPoint.Port);
            }

            await AssertFreshClientIsEchoedAsync(server, seed: 24, timeout.Token);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Starts a server on a free port that no client socket of the machine can be given (see <see cref="Loopback.PortsBelowTheEphemeralRange"/>).</summary>
    private static EchoServer StartBelowTheEphemeralRange()
    {
        var taken = new List<int>();
        foreach (int port in Loopback.PortsBelowTheEphemeralRange())
        {
            try
            {
                return StartServer(port: port);
            }
            catch (EchoBindException)
            {
                // Some program of the machine listens there: the next.
                taken.Add(port);
            }
        }

        throw new InvalidOperationException($"Every port tried below the ephemeral range was in use: {string.Join(", ", taken)}.");
    }
}
