using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EchoNet.Testing;

namespace EchoNet.Cli.Tests.Cli;

/// <summary><c>echonet serve</c> as a process: it says where it listens, echoes, and stops cleanly on SIGTERM.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_OnPortZero_EchoesThenExitsZeroOnSigterm()
    {
        using EchonetProcess serve = EchonetProcess.Start("serve", "--port", "0", "--bind", "127.0.0.1");

        string listening = await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step);
        // No --model: the library's default, the event loop on Linux on x64 (where these tests run).
        Assert.Matches(@"^Listening on 127\.0\.0\.1:\d+ \(TCP, EventLoop\)$", listening);
        int port = PortOf(listening);

        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            using var deadline = new CancellationTokenSource(TestTimeouts.Step);
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
            byte[] hello = Encoding.UTF8.GetBytes("hého\n");
            await client.SendAsync(hello, SocketFlags.None, deadline.Token);
            byte[] back = new byte[hello.Length];
            int received = 0;
            while (received < back.Length)
            {
                int count = await client.ReceiveAsync(back.AsMemory(received), SocketFlags.None, deadline.Token);
                Assert.NotEqual(0, count);
                received += count;
            }

            Assert.Equal(hello, back);
        }

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TestTimeouts.Step));
    }

    [Fact]
    public async Task Serve_OnSigterm_StopsAccepting_DrainsTheOpenConnection_AndExitsZeroWhenItCloses()
    {
        // The drain lasts until the client closes: --shutdown-timeout is far longer than this test.
        using EchonetProcess serve = EchonetProcess.Start("serve", "--port", "0", "--bind", "127.0.0.1", "--shutdown-timeout", "60");
        int port = PortOf(await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step));
        using var deadline = new CancellationTokenSource(TestTimeouts.Run);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
        await client.SendAsync("a"u8.ToArray(), SocketFlags.None, deadline.Token);
        Assert.Equal(1, await client.ReceiveAsync(new byte[1], SocketFlags.None, deadline.Token));

        serve.Terminate();

        string stopping = await serve.ReadErrorLineContainingAsync("stopping: it accepts no more", TestTimeouts.Step);
        Assert.EndsWith("1 open connection(s) may go on for up to 60 s", stopping, StringComparison.Ordinal);
        using (var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            SocketException refused = await Assert.ThrowsAsync<SocketException>(async () => await late.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        await client.SendAsync("b"u8.ToArray(), SocketFlags.None, deadline.Token);
        byte[] echo = new byte[1];
        Assert.Equal(1, await client.ReceiveAsync(echo, SocketFlags.None, deadline.Token));
        Assert.Equal((byte)'b', echo[0]);
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await client.ReceiveAsync(echo, SocketFlags.None, deadline.Token));

        Assert.Equal(0, await serve.WaitForExitAsync(TestTimeouts.Step));
        Assert.Contains("0 connection(s) were closed at the drain deadline", serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithStats_PrintsLiveCountersOnStandardError()
    {
        using EchonetProcess serve = EchonetProcess.Start("serve", "--port", "0", "--bind", "127.0.0.1", "--stats", "--max-connections", "100", "--idle-timeout", "30");
        int port = PortOf(await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step));
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            using var deadline = new CancellationTokenSource(TestTimeouts.Step);
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
            await client.SendAsync("x"u8.ToArray(), SocketFlags.None, deadline.Token);
            Assert.Equal(1, await client.ReceiveAsync(new byte[1], SocketFlags.None, deadline.Token));

            // The counters come once a second: wait for a line that has seen this open connection.
            string stats = await serve.ReadErrorLineContainingAsync("stats: 1 open", TestTimeouts.Step);
            Assert.Contains("MB/s in", stats, StringComparison.Ordinal);
        }

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TestTimeouts.Step));
    }

    [Fact]
    public async Task Serve_BothTransportsWithSelect_PassesConformance_ThenExitsZeroOnSigterm()
    {
        using EchonetProcess serve = EchonetProcess.Start("serve", "-p", "0", "-b", "127.0.0.1", "--transport", "both", "--model", "select", "--read-size", "1500");

        string tcp = await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step);
        string udp = await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step);
        Assert.EndsWith("(TCP, Select)", tcp, StringComparison.Ordinal);
        Assert.EndsWith("(UDP)", udp, StringComparison.Ordinal);
        Assert.Equal(PortOf(tcp), PortOf(udp));

        EchoConformanceReport report = await EchoConformance.RunAsync(
            new IPEndPoint(IPAddress.Loopback, PortOf(tcp)),
            new EchoConformanceOptions { Transports = EchoConformanceTransports.Both },
            cancellationToken: TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Run, TestContext.Current.CancellationToken);
        Assert.True(report.Passed, report.ToString());

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TestTimeouts.Step));
    }

    [Fact]
    public async Task Serve_PortInUse_PrintsTheBindErrorAndExitsOne()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen(1);
        string port = ((IPEndPoint)holder.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);

        (int exitCode, EchonetProcess serve) = await EchonetProcess.RunAsync("serve", "--port", port, "--bind", "127.0.0.1");
        using (serve)
        {
            Assert.Equal(1, exitCode);
            Assert.Contains($"Cannot listen on 127.0.0.1:{port} (TCP): port {port} is already in use", serve.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Listening on", serve.Stdout, StringComparison.Ordinal);
        }
    }

    private static int PortOf(string listeningLine)
    {
        // "Listening on 127.0.0.1:40123 (TCP, Async)"
        string endPoint = listeningLine.Split(' ')[2];
        return IPEndPoint.Parse(endPoint).Port;
    }
}
