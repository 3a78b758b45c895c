using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace EchoNet.Tests.Samples;

/// <summary>The EchoClient sample as a process, driven through its standard input against socat's echo (<c>EXEC:cat</c>).</summary>
public sealed partial class ClientSampleTests
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClientSample_LinesThenEmptyLine_PrintsTheirEchoExactly()
    {
        // socat listens on ::1 only, so "localhost" (127.0.0.1 in /etc/hosts) must fall back to IPv6 to reach it.
        await using ChildProcess echo = ChildProcess.Start("socat", "-d", "-d", "TCP6-LISTEN:0,bind=[::1]", "EXEC:cat");
        int port = await ReadSocatPortAsync(echo);

        (int exitCode, string output, string errors) = await RunClientAsync("hello\nhého ✓ 😀\n\nnot sent\n", "localhost", port);

        Assert.Equal(0, exitCode);
        Assert.Equal("hello\nhého ✓ 😀\n", output);
        Assert.Contains("Connected to [::1]", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSample_LargeInputToEndOfInput_PrintsTheWholeEcho()
    {
        await using ChildProcess echo = ChildProcess.Start("socat", "-d", "-d", "TCP4-LISTEN:0,bind=127.0.0.1", "EXEC:cat");
        int port = await ReadSocatPortAsync(echo);
        var input = new StringBuilder();
        for (int i = 0; input.Length < 512 * 1024; i++)
        {
            input.Append(CultureInfo.InvariantCulture, $"line {i} é\n");
        }

        (int exitCode, string output, _) = await RunClientAsync(input.ToString(), "127.0.0.1", port);

        Assert.Equal(0, exitCode);
        Assert.Equal(input.ToString(), output);
    }

    [Fact]
    public async Task ClientSample_NothingListening_ExitsNonZeroAndSaysWhatToCheck()
    {
        int port = FreeTcpPort();

        (int exitCode, string output, string errors) = await RunClientAsync("hello\n", "localhost", port);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains($"localhost port {port}", errors, StringComparison.Ordinal);
        Assert.Contains("Is an echo server running on that port?", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSample_InvalidPort_ExitsTwo()
    {
        (int exitCode, _, string errors) = await RunClientAsync("", "localhost", "seven");

        Assert.Equal(2, exitCode);
        Assert.Contains("'seven' is not a port", errors, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output, string Errors)> RunClientAsync(string input, string host, int port) =>
        RunClientAsync(input, host, port.ToString(CultureInfo.InvariantCulture));

    private static async Task<(int ExitCode, string Output, string Errors)> RunClientAsync(string input, string host, string port)
    {
        await using ChildProcess client = ChildProcess.StartSample("EchoClient", host, port);
        Task<string> errors = client.ReadErrorToEndAsync(StartBound, Token);
        Task<string> output = client.ReadToEndAsync(StartBound, Token);

        // The input is written while the output is read: the sample must not need it all before it echoes.
        try
        {
            await client.WriteInputAndCloseAsync(input, StartBound, Token);
        }
        catch (IOException)
        {
            // The client may exit (refused connection) before reading its input; its exit code tells the story.
        }

        int exitCode = await client.WaitForExitAsync(StartBound, Token);
        return (exitCode, await output, await errors);
    }

    private static async Task<int> ReadSocatPortAsync(ChildProcess socat)
    {
        // socat -d -d reports "listening on AF=2 127.0.0.1:PORT" (AF=10 [::1]:PORT for IPv6) once it has bound.
        for (int i = 0; i < 20; i++)
        {
            string line = await socat.ReadErrorLineAsync(Bound, Token);
            if (SocatListening().Match(line) is { Success: true } match)
            {
                return int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("socat did not report the port it listens on.");
    }

    private static int FreeTcpPort()
    {
        // Port 0 picks a port no socket holds; closing the unlistened socket leaves nothing listening there.
        using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        probe.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [GeneratedRegex(@"listening on AF=\d+ \S*:(?<port>\d+)\s*$")]
    private static partial Regex SocatListening();
}
