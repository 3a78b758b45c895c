using System.Net.Sockets;
using CsCheck;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

/// <summary>Generated sessions of writes, partial reads, half-closes and resets, checked byte for byte.</summary>
public abstract partial class TcpFaultTests
{
    private const int GeneratedSessions = 40;

    /// <summary>The bound on one generated session; a stuck one fails (and is shrunk) rather than hangs.</summary>
    private static readonly TimeSpan SessionBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RandomSessions_EveryByteReadBackIsTheByteSent_InOrder()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource(TimeSpan.FromSeconds(60));
        var log = new RecordingLoggerFactory();
        EchoServer server = StartServer(log);
        await using (server)
        {
            int sessions = 0;

            // Four sessions at a time where the model serves clients concurrently; one at a time for the iterative one.
            await EchoScript.Generator.SampleAsync(
                async script =>
                {
                    using CancellationTokenSource session = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                    session.CancelAfter(SessionBound);
                    using Socket client = await Loopback.ConnectAsync(server, session.Token);
                    await script.RunAsync(client, session.Token);
                    Interlocked.Increment(ref sessions);
                },
                iter: GeneratedSessions,
                threads: ServesClientsConcurrently ? 4 : 1,
                print: static script => script.ToString());

            Assert.Equal(GeneratedSessions, sessions);
            await AssertFreshClientIsEchoedAsync(server, seed: 25, timeout.Token);
            await AssertNoConnectionHeldAsync(server, log, timeout.Token);
        }
    }
}
