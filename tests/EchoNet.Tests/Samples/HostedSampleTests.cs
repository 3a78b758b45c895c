using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace EchoNet.Tests.Samples;

/// <summary>The HostedEchoServer sample as a process: its appsettings.json read from any directory, a failed start printed once.</summary>
public sealed partial class HostedSampleTests : IDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    // Not the sample's folder: the configuration must come from the build output, not the current directory.
    private readonly DirectoryInfo _elsewhere = Directory.CreateTempSubdirectory("echonet-hosted-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostedSample_StartedInAnotherDirectory_ServesWhatItsAppsettingsSays()
    {
        await using ChildProcess server = ChildProcess.StartSampleIn(_elsewhere.FullName, "HostedEchoServer", "--EchoServer:Port=0");

        // appsettings.json says "Tcp, Udp" and "Select"; without it the server would be TCP only, async.
        Match tcp = await ReadListeningLineAsync(server);
        Match udp = await ReadListeningLineAsync(server);
        Assert.Equal(("TCP", "Select"), (tcp.Groups["transport"].Value, tcp.Groups["kind"].Value));
        Assert.Equal(("UDP", "datagrams"), (udp.Groups["transport"].Value, udp.Groups["kind"].Value));
        int port = int.Parse(tcp.Groups["port"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(port, int.Parse(udp.Groups["port"].Value, CultureInfo.InvariantCulture));

        await using (EchoUdpClient datagrams = await EchoUdpClient.ConnectAsync("localhost", port, cancellationToken: Token))
        {
            Assert.Equal("hého ✓ by datagram", await datagrams.EchoAsync("hého ✓ by datagram", Token).WaitAsync(Bound, Token));
        }

        await using (EchoClient stream = await EchoClient.ConnectAsync("localhost", port, Bound, Token))
        {
            Assert.Equal("hého ✓ by stream", await stream.EchoAsync("hého ✓ by stream", Token).WaitAsync(Bound, Token));
        }

        await server.TerminateAsync(Bound, Token);
        Assert.Equal(0, await server.WaitForExitAsync(StartBound, Token));
    }

    [Fact]
    public async Task HostedSample_InvalidOption_PrintsTheReasonOnce_ExitsOne()
    {
        (int exitCode, string output, string errors) = await RunToExitAsync("--EchoServer:Port=0", "--EchoServer:ReadSize=0");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("EchoServer:ReadSize: ReadSize must be from 1", errors, StringComparison.Ordinal);
        AssertPrintedOnce("ReadSize must be from 1", output, errors);
    }

    [Fact]
    public async Task HostedSample_PortInUse_PrintsTheReasonOnce_ExitsOne()
    {
        using var holder = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        holder.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        holder.Listen();
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        (int exitCode, string output, string errors) = await RunToExitAsync(string.Create(CultureInfo.InvariantCulture, $"--EchoServer:Port={port}"));

        Assert.Equal(1, exitCode);
        Assert.Contains($"port {port} is already in use", errors, StringComparison.Ordinal);
        AssertPrintedOnce("is already in use", output, errors);
    }

    public void Dispose() => _elsewhere.Delete(recursive: true);

    private static void AssertPrintedOnce(string reason, string output, string errors)
    {
        string everything = output + errors;
        Assert.Equal(1, Regex.Count(everything, Regex.Escape(reason)));
        Assert.DoesNotContain("Hosting failed to start", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", everything, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Errors)> RunToExitAsync(params string[] arguments)
    {
        await using ChildProcess server = ChildProcess.StartSampleIn(_elsewhere.FullName, "HostedEchoServer", arguments);
        Task<string> output = server.ReadToEndAsync(StartBound, Token);
        Task<string> errors = server.ReadErrorToEndAsync(StartBound, Token);
        int exitCode = await server.WaitForExitAsync(StartBound, Token);
        return (exitCode, await output, await errors);
    }

    private static async Task<Match> ReadListeningLineAsync(ChildProcess server)
    {
        // The host's console log shares the output; the listening lines come after a few log lines.
        for (int i = 0; i < 100; i++)
        {
            string line = await server.ReadLineAsync(StartBound, Token);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                return match;
            }
        }

        throw new InvalidOperationException("The hosted sample printed no 'Listening on' line.");
    }

    [GeneratedRegex(@"^Listening on (?<address>\S+):(?<port>\d+) \((?<transport>TCP|UDP), (?<kind>\w+)\)$")]
    private static partial Regex ListeningLine();
}
