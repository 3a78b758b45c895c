using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using EchoNet.Cli.Commands;

namespace EchoNet.Cli.Tests.Commands;

/// <summary>
/// Commands stop on System.CommandLine's cancellation token, which Ctrl+C and SIGTERM cancel, and the process is given
/// long enough after the signal for <c>serve</c>'s drain before System.CommandLine ends it.
/// </summary>
public sealed partial class StopTests
{
    [Fact]
    public void Serve_IsGivenItsShutdownTimeoutAndTheGrace_BeforeTheProcessIsEnded()
    {
        var commandLine = new EchoCommandLine();

        InvocationConfiguration invocation = commandLine.InvocationFor(commandLine.Root.Parse(["serve", "--shutdown-timeout", "30"]));

        Assert.Equal(TimeSpan.FromSeconds(30) + EchoCommandLine.StopGrace, invocation.ProcessTerminationTimeout);
    }

    [Fact]
    public void Serve_WithTheDefaultShutdownTimeout_IsGivenTheLibrarysDrainAndTheGrace()
    {
        var commandLine = new EchoCommandLine();

        InvocationConfiguration invocation = commandLine.InvocationFor(commandLine.Root.Parse(["serve"]));

        Assert.Equal(new EchoServerOptions().ShutdownTimeout + EchoCommandLine.StopGrace, invocation.ProcessTerminationTimeout);
    }

    [Theory]
    [InlineData("bench", "127.0.0.1", "7")]
    [InlineData("serve", "--shutdown-timeout", "nonsense")]
    public void OtherCommands_AndWrongCommandLines_AreGivenTheGrace(params string[] arguments)
    {
        var commandLine = new EchoCommandLine();

        InvocationConfiguration invocation = commandLine.InvocationFor(commandLine.Root.Parse(arguments));

        Assert.Equal(EchoCommandLine.StopGrace, invocation.ProcessTerminationTimeout);
    }

    [Fact]
    public async Task Serve_StopsWhenTheInvocationsTokenIsCancelled_AndReturnsZero()
    {
        var commandLine = new EchoCommandLine();
        ParseResult parsed = commandLine.Root.Parse(["serve", "--port", "0", "--bind", "127.0.0.1", "--log-level", "none", "--shutdown-timeout", "1"]);
        var output = new LineWriter();
        using var stop = new CancellationTokenSource();

        // No ProcessTerminationTimeout: this test process's own signals stay its own.
        Task<int> serving = parsed.InvokeAsync(new InvocationConfiguration { Output = output, ProcessTerminationTimeout = null }, stop.Token);
        string listening = await output.Lines.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TestTimeouts.Step, TestContext.Current.CancellationToken);
        int port = int.Parse(PortPattern().Match(listening).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            using var deadline = new CancellationTokenSource(TestTimeouts.Step);
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
            await client.SendAsync("x"u8.ToArray(), SocketFlags.None, deadline.Token);
            Assert.Equal(1, await client.ReceiveAsync(new byte[1], SocketFlags.None, deadline.Token));
        }

        await stop.CancelAsync();

        Assert.Equal(ExitCodes.Success, await serving.WaitAsync(TestTimeouts.Step, TestContext.Current.CancellationToken));
        using var after = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var connectDeadline = new CancellationTokenSource(TestTimeouts.Step);
        SocketException refused = await Assert.ThrowsAsync<SocketException>(async () => await after.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), connectDeadline.Token));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [GeneratedRegex(@"^Listening on 127\.0\.0\.1:(\d+) ")]
    private static partial Regex PortPattern();

    /// <summary>A writer that hands on each line written to it as soon as the line is complete.</summary>
    private sealed class LineWriter : TextWriter
    {
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
        private readonly StringBuilder _line = new();

        public ChannelReader<string> Lines => _lines.Reader;

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n')
                {
                    _lines.Writer.TryWrite(_line.ToString().TrimEnd('\r'));
                    _line.Clear();
                }
                else
                {
                    _line.Append(value);
                }
            }
        }
    }
}
