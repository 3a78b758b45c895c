using System.Net.Sockets;
using System.Text;
using EchoNet.Server.Unix;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Unix;

/// <summary>
/// Stream echo on a Unix domain socket, and the life of its socket file, the same in every TCP concurrency model;
/// each model runs it through a sealed subclass in UnixSocketServerTestsPerModel.cs.
/// </summary>
public abstract class UnixSocketServerTests<TModel>
    where TModel : ITcpModel
{
    private static EchoServer StartServer(string path) => TModel.Use(new EchoServerBuilder()).ListenUnix(path);

    [Fact]
    public async Task EveryByteValue_AndUtf8_AreEchoedByteForByte()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var socketPath = new UnixSocketPath();
        await using EchoServer server = StartServer(socketPath.Path);
        using Socket client = await socketPath.ConnectAsync(timeout.Token);
        byte[] payload = [.. Enumerable.Range(0, 512).Select(i => (byte)i), .. Encoding.UTF8.GetBytes("hého, 日本語, 🎉\r\n")];

        byte[] echo = await Loopback.EchoToEndAsync(client, payload, timeout.Token);

        Assert.Equal(payload, echo);
        Assert.Equal(TModel.Model, server.Model);
    }

    [Fact]
    public async Task HalfClose_EchoesEverythingOwed_ThenCloses()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var socketPath = new UnixSocketPath();
        await using EchoServer server = StartServer(socketPath.Path);
        using Socket client = await socketPath.ConnectAsync(timeout.Token);

        // More than the socket buffers hold: the server still owes some of it when the client's end of stream comes.
        byte[] payload = Loopback.RandomBytes((1 << 20) + 7, seed: 862);
        byte[] echo = await Loopback.EchoToEndAsync(client, payload, timeout.Token);

        Assert.Equal(payload, echo);
    }

    [Fact]
    public async Task Statistics_CountUnixConnectionsAndBytes()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var socketPath = new UnixSocketPath();
        await using EchoServer server = StartServer(socketPath.Path);
        using (Socket client = await socketPath.ConnectAsync(timeout.Token))
        {
            await Loopback.EchoToEndAsync(client, Loopback.RandomBytes(3000, seed: 3), timeout.Token);
        }

        Assert.True(await Poll.UntilAsync(() => server.Statistics.ActiveConnections == 0, Loopback.Timeout, timeout.Token), "The connection was never counted out.");

        Assert.Equal(1, server.Statistics.AcceptedConnections);
        Assert.Equal(3000, server.Statistics.BytesReceived);
        Assert.Equal(3000, server.Statistics.BytesSent);
    }

    [Fact]
    public async Task StaleSocketFile_IsReplaced()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var socketPath = new UnixSocketPath();
        LeaveStaleSocketFile(socketPath.Path);
        var log = new LogRecorder();

        await using EchoServer server = TModel.Use(new EchoServerBuilder()).UseLoggerFactory(log).ListenUnix(socketPath.Path);
        using Socket client = await socketPath.ConnectAsync(timeout.Token);

        await Loopback.RoundTripAsync(client, "after the stale file\n"u8.ToArray(), timeout.Token);
        Assert.Equal(socketPath.Path, log.Last("StaleUnixSocketReplaced").Values["Path"]);
    }

    [Fact]
    public async Task LiveSocketFile_IsRefused_AndItsServerGoesOn()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var socketPath = new UnixSocketPath();
        await using EchoServer first = StartServer(socketPath.Path);

        EchoBindException error = Assert.Throws<EchoBindException>(() => StartServer(socketPath.Path));

        Assert.Equal(EchoTransports.Unix, error.Transport);
        Assert.Equal(socketPath.Path, error.EndPoint.ToString());
        Assert.Contains($"Unix socket {socketPath.Path}: a server is listening on it already", error.Message, StringComparison.Ordinal);
        Assert.Contains("choose another path", error.Message, StringComparison.Ordinal);
        using Socket client = await socketPath.ConnectAsync(timeout.Token);
        await Loopback.RoundTripAsync(client, "still served\n"u8.ToArray(), timeout.Token);
    }

    [Fact]
    public async Task RegularFile_AtThePath_IsRefused_AndKept()
    {
        using var socketPath = new UnixSocketPath();
        await File.WriteAllTextAsync(socketPath.Path, "not a socket", TestContext.Current.CancellationToken);

        EchoBindException error = Assert.Throws<EchoBindException>(() => StartServer(socketPath.Path));

        Assert.Contains("a file that is not a socket is there", error.Message, StringComparison.Ordinal);
        Assert.Equal("not a socket", await File.ReadAllTextAsync(socketPath.Path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SocketFile_IsRemoved_WhenTheServerStops()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var socketPath = new UnixSocketPath();
        EchoServer server = StartServer(socketPath.Path);
        Assert.True(File.Exists(socketPath.Path), "The server made no socket file.");
        using Socket client = await socketPath.ConnectAsync(timeout.Token);
        await Loopback.RoundTripAsync(client, "x"u8.ToArray(), timeout.Token);

        await server.StopAsync(TimeSpan.Zero).WaitAsync(timeout.Token);

        Assert.False(File.Exists(socketPath.Path), "The socket file is still there after the server stopped.");
    }

    [Fact]
    public async Task NetcatAndSocat_GetTheirBytesBack()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var socketPath = new UnixSocketPath();
        await using EchoServer server = StartServer(socketPath.Path);
        byte[] payload = [.. Loopback.RandomBytes(200_000, seed: 9), .. Encoding.UTF8.GetBytes("\nhého ✓\n")];

        // -N: netcat-openbsd shuts its sending side at the end of its input, and prints until the server closes.
        byte[] fromNetcat = await ExternalClient.RunAsync("nc", ["-N", "-U", socketPath.Path], payload, timeout.Token);
        byte[] fromSocat = await ExternalClient.RunAsync("socat", ["-t", "20", "-", $"UNIX-CONNECT:{socketPath.Path}"], payload, timeout.Token);

        Assert.Equal(payload, fromNetcat);
        Assert.Equal(payload, fromSocat);
    }

    /// <summary>A socket file nobody listens on, as a server that was killed leaves it.</summary>
    private static void LeaveStaleSocketFile(string path)
    {
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            // Bound through the server's own endpoint type, whose socket does not delete its file when disposed.
            socket.Bind(new UnixPathEndPoint(path));
            socket.Listen(1);
        }

        Assert.True(File.Exists(path), "The stale socket file was not left behind.");
    }
}
