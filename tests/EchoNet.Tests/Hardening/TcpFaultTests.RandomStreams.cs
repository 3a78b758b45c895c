using System.Net.Sockets;
using CsCheck;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

/// <summary>Generated connections of writes, partial reads, half-closes and resets, checked byte for byte.</summary>
public abstract partial class TcpFaultTests<TModel>
{
    private const int GeneratedConnections = 40;

    /// <summary>The bound on one generated connection; a stuck one fails (and is shrunk) rather than hangs.</summary>
    private static readonly TimeSpan ConnectionBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RandomConnections_EveryByteReadBackIsTheByteSent_InOrder()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource(TimeSpan.FromSeconds(60));
        var log = new LogRecorder();
        EchoServer server = StartServer(log);
        await using (server)
        {
            int played = 0;

            // Four connections at a time where the model serves clients concurrently; one at a time for the iterative one.
            await EchoScript.Generator.SampleAsync(
                async script =>
                {
                    using CancellationTokenSource bound = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                    bound.CancelAfter(ConnectionBound);
                    using Socket client = await Loopback.ConnectAsync(server, bound.Token);
                    await script.RunAsync(client, bound.Token);
                    Interlocked.Increment(ref played);
                },
                iter: GeneratedConnections,
                threads: TModel.ServesClientsConcurrently ? 4 : 1,
                print: static script => script.ToString());

            Assert.Equal(GeneratedConnections, played);
            await AssertFreshClientIsEchoedAsync(server, seed: 25, timeout.Token);
            await AssertNoConnectionHeldAsync(server, log, timeout.Token);
        }
    }
}
