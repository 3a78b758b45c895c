using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using EchoNet.Tests.Samples;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

/// <summary>
/// Limits of the process itself, tried on the server samples run as processes of their own: the descriptor limit,
/// and the threads of the thread-per-client model.
/// </summary>
public sealed partial class ProcessLimitTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("AsyncEchoServer")]
    [InlineData("SelectEchoServer")]
    [InlineData("ThreadedEchoServer")]
    [InlineData("EventLoopEchoServer")]
    public async Task UnderALowDescriptorLimit_ExtraClientsAreReset_TheAdmittedEcho_AndTheServerRecovers(string sample)
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource(TimeSpan.FromSeconds(90));
        const int DescriptorLimit = 100;
        const int Clients = 150;
        await using ChildProcess server = ChildProcess.Start(
            "bash",
            ["-c", $"ulimit -n {DescriptorLimit} && exec \"$0\" \"$@\"", SampleBuildOutput.DotnetHost(), SampleBuildOutput.AssemblyPath(sample), "0"]);
        var endPoint = new IPEndPoint(IPAddress.Loopback, await ReadPortAsync(server, timeout.Token));

        var clients = new List<Socket>();
        int echoed = 0;
        for (int i = 0; i < Clients; i++)
        {
            if (await TryConnectAndEchoAsync(endPoint, timeout.Token) is { } client)
            {
                clients.Add(client);
                echoed++;
            }
        }

        // The server keeps what is open at start and 32 more for the runtime, and admits no more than the rest: it never runs out.
        Assert.InRange(echoed, 1, DescriptorLimit - 64);
        clients.ForEach(client => client.Dispose());
        Socket? fresh = null;

        // The server counts the departed clients out as it sees them go; until then a newcomer may be reset.
        Assert.True(await Poll.UntilAsync(async token => (fresh = await TryConnectAndEchoAsync(endPoint, token)) is not null, Bound, timeout.Token), "No fresh client was echoed.");
        fresh?.Dispose();
        await server.TerminateAsync(Bound, timeout.Token);
        Assert.Equal(0, await server.WaitForExitAsync(Bound, timeout.Token));
    }

    [Fact]
    public async Task ThreadPerClient_ThreadCountReturnsToBaseline_After10000ShortConnections()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource(TimeSpan.FromSeconds(120));
        await using ChildProcess server = ChildProcess.StartSample("ThreadedEchoServer", "0");
        var endPoint = new IPEndPoint(IPAddress.Loopback, await ReadPortAsync(server, timeout.Token));
        (await TryConnectAndEchoAsync(endPoint, timeout.Token) ?? throw new InvalidOperationException("The server did not echo.")).Dispose();
        int baseline = ThreadCount(server.Id);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async worker =>
        {
            for (int i = 0; i < 10_000 / 16 + (worker < 10_000 % 16 ? 1 : 0); i++)
            {
                using Socket client = await TryConnectAndEchoAsync(endPoint, timeout.Token)
                    ?? throw new InvalidOperationException("A short connection was not echoed.");
            }
        }));

        // The thread pool of the runtime may keep a thread or two it started meanwhile; a thread per client would be thousands.
        Assert.True(
            await Poll.UntilAsync(() => ThreadCount(server.Id) <= baseline + 4, Bound, timeout.Token),
            $"Threads: {ThreadCount(server.Id)} after the connections ended, {baseline} before.");
        await server.TerminateAsync(Bound, timeout.Token);
        Assert.Equal(0, await server.WaitForExitAsync(Bound, timeout.Token));
    }

    /// <summary>Connects and echoes one byte; null when the server reset the connection (it was over a limit).</summary>
    private static async Task<Socket?> TryConnectAndEchoAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await client.ConnectAsync(endPoint, cancellationToken);
            await client.SendAsync("x"u8.ToArray(), SocketFlags.None, cancellationToken);
            byte[] echo = new byte[1];
            if (await client.ReceiveAsync(echo, SocketFlags.None, cancellationToken) == 1 && echo[0] == (byte)'x')
            {
                return client;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
        {
            // Reset by the server's limit: the answer this helper reports as null.
        }

        client.Dispose();
        return null;
    }

    private static int ThreadCount(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Threads:", StringComparison.Ordinal));
        return int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task<int> ReadPortAsync(ChildProcess server, CancellationToken cancellationToken)
    {
        string line = await server.ReadLineAsync(Bound, cancellationToken);
        Match match = ListeningLine().Match(line);
        Assert.True(match.Success, $"Expected a 'Listening on' line, got '{line}'.");
        return int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^Listening on .*:(?<port>\d+) \(")]
    private static partial Regex ListeningLine();
}
