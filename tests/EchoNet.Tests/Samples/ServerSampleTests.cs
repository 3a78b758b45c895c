using System.Globalization;
using System.Text.RegularExpressions;

namespace EchoNet.Tests.Samples;

/// <summary>
/// What every server sample must do as a process: start on port 0, print its <c>Listening on</c> line, echo for our
/// client and for <c>nc</c> and <c>socat</c>, and exit with 0 on SIGTERM. One sealed subclass per sample, in
/// ServerSampleTestsPerSample.cs; a TCP sample's expectations are its model's (<see cref="TcpServerSampleTests{TModel}"/>).
/// </summary>
public abstract partial class ServerSampleTests
{
    // A cold start of a sample on a busy two-core machine can take seconds; every other wait is much shorter.
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>Gets the sample's project name.</summary>
    protected abstract string Sample { get; }

    /// <summary>Gets what the sample's listening line names after the transport: the model, or "datagrams".</summary>
    protected abstract string Kind { get; }

    /// <summary>Gets whether the sample serves UDP rather than TCP.</summary>
    protected virtual bool IsUdp => false;

    /// <summary>Gets whether a second client is served while the first is connected (all but the iterative model).</summary>
    protected virtual bool ServesClientsConcurrently => true;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sample_OnPort0_PrintsListeningLine_Echoes_ExitsZeroOnSigterm()
    {
        await using ChildProcess server = ChildProcess.StartSample(Sample, "0");
        int port = await ReadListeningPortAsync(server);

        await using (SampleClient client = await ConnectAsync(port))
        {
            Assert.Equal("hého ✓ from EchoClient", await client.EchoAsync("hého ✓ from EchoClient", Token).WaitAsync(Bound, Token));
        }

        await server.TerminateAsync(Bound, Token);
        Assert.Equal(0, await server.WaitForExitAsync(Bound, Token));
    }

    [Fact]
    public async Task Sample_EchoesForNetcat()
    {
        await using ChildProcess server = ChildProcess.StartSample(Sample, "0");
        int port = await ReadListeningPortAsync(server);
        string portText = port.ToString(CultureInfo.InvariantCulture);

        // -N: half-close when the input ends (TCP); -w 1: give the datagram's echo a second (UDP).
        string output = await RunToEndAsync("hello from nc\n", "nc", IsUdp ? ["-u", "-w", "1", "localhost", portText] : ["-N", "localhost", portText]);

        Assert.Equal("hello from nc\n", output);
    }

    [Fact]
    public async Task Sample_EchoesForSocat()
    {
        await using ChildProcess server = ChildProcess.StartSample(Sample, "0");
        int port = await ReadListeningPortAsync(server);

        // -t: how long socat waits for the echo after its input ended (UDP has no end to wait for).
        string output = await RunToEndAsync("hello from socat\n", "socat", IsUdp ? ["-t", "0.3", "-", $"UDP:127.0.0.1:{port}"] : ["-t", "5", "-", $"TCP:127.0.0.1:{port}"]);

        Assert.Equal("hello from socat\n", output);
    }

    [Fact]
    public async Task Sample_SecondClient_IsServedAsItsCourseSectionSays()
    {
        await using ChildProcess server = ChildProcess.StartSample(Sample, "0");
        int port = await ReadListeningPortAsync(server);
        SampleClient first = await ConnectAsync(port);
        try
        {
            Assert.Equal("first", await first.EchoAsync("first", Token).WaitAsync(Bound, Token));
            await using SampleClient second = await ConnectAsync(port);
            Task<string> secondEcho = second.EchoAsync("second", Token);
            if (!ServesClientsConcurrently)
            {
                // One client at a time: the second waits in the backlog until the first leaves. The sample is another
                // process that signals nothing, so only a bounded wait can show that the second is not served.
                await Task.Delay(TimeSpan.FromMilliseconds(300), Token);
                Assert.False(secondEcho.IsCompleted, "The iterative server echoed to a second client while the first was still connected.");
                await first.DisposeAsync();
            }

            Assert.Equal("second", await secondEcho.WaitAsync(Bound, Token));
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    private static async Task<string> RunToEndAsync(string input, string program, IEnumerable<string> arguments)
    {
        await using ChildProcess client = ChildProcess.Start(program, arguments);
        await client.WriteInputAndCloseAsync(input, Bound, Token);
        string output = await client.ReadToEndAsync(Bound, Token);
        Assert.Equal(0, await client.WaitForExitAsync(Bound, Token));
        return output;
    }

    private async Task<SampleClient> ConnectAsync(int port)
    {
        if (IsUdp)
        {
            EchoUdpClient udp = await EchoUdpClient.ConnectAsync("localhost", port, cancellationToken: Token);
            return new SampleClient(udp.EchoAsync, udp);
        }

        EchoClient tcp = await EchoClient.ConnectAsync("localhost", port, Bound, Token);
        return new SampleClient(tcp.EchoAsync, tcp);
    }

    private async Task<int> ReadListeningPortAsync(ChildProcess server)
    {
        string line = await server.ReadLineAsync(StartBound, Token);
        Match match = ListeningLine().Match(line);
        Assert.True(match.Success, $"Expected 'Listening on <endpoint> (<transport>, <model>)', got '{line}'.");
        Assert.Equal(IsUdp ? "UDP" : "TCP", match.Groups["transport"].Value);
        Assert.Equal(Kind, match.Groups["kind"].Value);
        int port = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(port, 1, 65_535);
        return port;
    }

    [GeneratedRegex(@"^Listening on (?<address>\S+):(?<port>\d+) \((?<transport>TCP|UDP), (?<kind>\w+)\)$")]
    private static partial Regex ListeningLine();

    /// <summary>Our client on the sample's transport: an <see cref="EchoClient"/> (TCP) or an <see cref="EchoUdpClient"/>.</summary>
    private sealed class SampleClient(Func<string, CancellationToken, Task<string>> echo, IAsyncDisposable client) : IAsyncDisposable
    {
        public Task<string> EchoAsync(string text, CancellationToken cancellationToken) => echo(text, cancellationToken);

        public ValueTask DisposeAsync() => client.DisposeAsync();
    }
}
