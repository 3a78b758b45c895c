using System.Net.Sockets;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

/// <summary>Storms of clients that reset, close at once, vanish mid-echo or go silent.</summary>
public abstract partial class TcpFaultTests<TModel>
{
    private const int StormSize = 200;

    [Fact]
    public async Task ResetStorm_OfClientsThatConnectAndReset_LeavesNoConnectionHeld_AndTheServerEchoes()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        var log = new LogRecorder();
        EchoServer server = StartServer(log);
        await using (server)
        {
            await Task.WhenAll(Enumerable.Range(0, StormSize).Select(async i =>
            {
                Socket client = await Loopback.ConnectAsync(server, timeout.Token, FamilyOf(i));
                Loopback.Reset(client);
            }));

            await AssertFreshClientIsEchoedAsync(server, seed: 20, timeout.Token);
            await AssertNoConnectionHeldAsync(server, log, timeout.Token);
            await AssertPromptStopAsync(server, log, expectedAborted: 0, timeout.Token);
        }
    }

    [Fact]
    public async Task CloseStorm_OfClientsThatConnectAndCloseAtOnce_LeavesNoConnectionHeld_AndTheServerEchoes()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        var log = new LogRecorder();
        EchoServer server = StartServer(log);
        await using (server)
        {
            await Task.WhenAll(Enumerable.Range(0, StormSize).Select(async i =>
            {
                using Socket client = await Loopback.ConnectAsync(server, timeout.Token, FamilyOf(i));
            }));

            await AssertFreshClientIsEchoedAsync(server, seed: 21, timeout.Token);
            await AssertNoConnectionHeldAsync(server, log, timeout.Token);
            await AssertPromptStopAsync(server, log, expectedAborted: 0, timeout.Token);
        }
    }

    [Fact]
    public async Task ClientsThatResetMidEcho_LeaveNoConnectionHeld_WhileALiveClientKeepsEchoing()
    {
        const int Resetters = 50;
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        var log = new LogRecorder();
        EchoServer server = StartServer(log);
        await using (server)
        {
            // A live client echoes through the storm (the iterative model serves it after the storm instead).
            using CancellationTokenSource liveStop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            Task<int> live = Task.FromResult(0);
            if (TModel.ServesClientsConcurrently)
            {
                Socket liveClient = await Loopback.ConnectAsync(server, timeout.Token);
                live = EchoUntilStoppedAsync(liveClient, liveStop.Token);
            }

            // Each sends 64 KiB, takes back part of its echo, and vanishes with a reset while the rest is owed.
            await Task.WhenAll(Enumerable.Range(0, Resetters).Select(async seed =>
            {
                Socket client = await Loopback.ConnectAsync(server, timeout.Token);
                try
                {
                    byte[] payload = Loopback.RandomBytes(64 * 1024, seed);
                    Task sending = Loopback.SendAllAsync(client, payload, timeout.Token);
                    int partial = 1 + (seed * 997 % 16_384);
                    byte[] echo = await Loopback.ReceiveExactlyAsync(client, partial, timeout.Token);
                    Assert.Equal(payload.AsSpan(0, partial), echo.AsSpan());
                    await sending;
                }
                finally
                {
                    Loopback.Reset(client);
                }
            }));

            await liveStop.CancelAsync();
            int liveRounds = await live.WaitAsync(timeout.Token);
            Assert.True(!TModel.ServesClientsConcurrently || liveRounds > 0, "The live client got no echo during the storm.");

            await AssertFreshClientIsEchoedAsync(server, seed: 22, timeout.Token);
            await AssertNoConnectionHeldAsync(server, log, timeout.Token);
            await AssertPromptStopAsync(server, log, expectedAborted: 0, timeout.Token);
        }
    }

    [Fact]
    public async Task HalfClosedClientsThatNeverRead_AreEchoedAndClosed_AndSilentClientsAreClosedByAStop()
    {
        const int HalfClosed = 50;
        int silentCount = TModel.ServesClientsConcurrently ? 50 : 1;
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        var log = new LogRecorder();
        EchoServer server = StartServer(log);
        await using (server)
        {
            int port = server.LocalEndPoint.Port;
            var silent = new List<Socket>();
            var halfClosed = new List<Socket>();
            try
            {
                // Silent clients connect and then neither send nor close. The iterative model serves the first one to
                // arrive until it leaves, so there it is one, and it leaves before the others can be served.
                for (int i = 0; i < silentCount; i++)
                {
                    silent.Add(await Loopback.ConnectAsync(server, timeout.Token));
                }

                // Half-closed clients send a little, shut their sending side and never read nor close.
                for (int seed = 0; seed < HalfClosed; seed++)
                {
                    Socket client = await Loopback.ConnectAsync(server, timeout.Token);
                    halfClosed.Add(client);
                    await Loopback.SendAllAsync(client, Loopback.RandomBytes(1 + seed * 41, seed), timeout.Token);
                    client.Shutdown(SocketShutdown.Send);
                }

                if (!TModel.ServesClientsConcurrently)
                {
                    Loopback.Reset(silent[0]);
                    silent.Clear();
                }

                await AssertFreshClientIsEchoedAsync(server, seed: 23, timeout.Token);

                // The server has closed every half-closed connection (its echo is in the client's buffer) and holds
                // the silent ones only.
                bool settled = await Poll.UntilAsync(() => TcpConnectionTable.CountHeld(port) == silent.Count, SettleBound, timeout.Token);
                Assert.True(settled, $"{TcpConnectionTable.CountHeld(port)} connections held, {silent.Count} expected (the silent ones).");
                for (int seed = 0; seed < HalfClosed; seed++)
                {
                    byte[] echo = await Loopback.ReceiveToEndAsync(halfClosed[seed], timeout.Token);
                    Assert.Equal(Loopback.RandomBytes(1 + seed * 41, seed), echo);
                }

                await AssertPromptStopAsync(server, log, expectedAborted: silent.Count, timeout.Token);
                foreach (Socket client in silent)
                {
                    await Loopback.ServerClosedAsync(client, timeout.Token);
                }
            }
            finally
            {
                foreach (Socket client in silent.Concat(halfClosed))
                {
                    client.Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task StopWithoutDrain_InTheMiddleOfAResetStorm_ReturnsPromptly_AndCompletesCleanly()
    {
        const int StormRounds = 2000;
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        var log = new LogRecorder();
        EchoServer server = StartServer(log);
        await using (server)
        {
            // Clients connect, send a little and reset, until the server has gone: once the stop has begun, a connect
            // is refused, or reset when the listener closes with it in the backlog.
            bool stopping = false;
            async Task<int> StormAsync(int seed)
            {
                byte[] message = Loopback.RandomBytes(100, seed);
                for (int round = 0; round < StormRounds; round++)
                {
                    Socket client;
                    try
                    {
                        client = await Loopback.ConnectAsync(server, timeout.Token, FamilyOf(seed + round));
                    }
                    catch (SocketException e) when (Volatile.Read(ref stopping) && e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                    {
                        return round;
                    }

                    try
                    {
                        await client.SendAsync(message, SocketFlags.None, timeout.Token);
                    }
                    catch (SocketException)
                    {
                        // The stop may reset this client before it sends.
                    }
                    finally
                    {
                        Loopback.Reset(client);
                    }
                }

                return StormRounds;
            }

            Task<int>[] storms = [.. Enumerable.Range(0, 4).Select(StormAsync)];
            await AssertFreshClientIsEchoedAsync(server, seed: 26, timeout.Token);

            Volatile.Write(ref stopping, true);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await server.StopAsync(TimeSpan.Zero).WaitAsync(timeout.Token);
            watch.Stop();
            int[] rounds = await Task.WhenAll(storms).WaitAsync(timeout.Token);

            Assert.True(rounds.Any(static done => done < StormRounds), "The storms were over before the stop: it did not meet one.");
            Assert.InRange(watch.Elapsed, TimeSpan.Zero, PromptStopBound);
            Assert.True(server.Completion.IsCompletedSuccessfully);
            Assert.True(log.CountAtLeast(Microsoft.Extensions.Logging.LogLevel.Error) == 0, string.Join(Environment.NewLine, log.Errors));
        }
    }

    /// <summary>Alternates IPv4 and IPv6 clients: the servers listen dual-stack and must treat both alike.</summary>
    private static AddressFamily FamilyOf(int index) => index % 2 == 0 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    /// <summary>Round-trips 1 KiB messages until <paramref name="stop"/> is cancelled; returns how many echoes came back.</summary>
    private static async Task<int> EchoUntilStoppedAsync(Socket socket, CancellationToken stop)
    {
        using (socket)
        {
            byte[] message = Loopback.RandomBytes(1024, seed: 99);
            int rounds = 0;
            while (!stop.IsCancellationRequested)
            {
                // The round itself is bounded by the test's timeout, not by the stop, so it ends whole.
                using CancellationTokenSource round = Loopback.TimeoutSource();
                await Loopback.RoundTripAsync(socket, message, round.Token);
                rounds++;
            }

            return rounds;
        }
    }
}
