using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace EchoNet.Tests.Client;

/// <summary>The console session against test doubles: text split byte by byte, invalid bytes, a server that leaves.</summary>
public sealed class EchoConsoleSessionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_EchoSplitOneBytePerWrite_PrintsEveryCharacterWhole()
    {
        const string input = "hého ✓\n😀 Ω\n";
        await using var server = new OneBytePerWriteServer();
        await using EchoClient client = await EchoClient.ConnectAsync("127.0.0.1", server.Port, Bound, Token);
        var output = new StringWriter();

        await new EchoConsoleSession(client, new StringReader(input), output).RunAsync(Token).WaitAsync(Bound, Token);

        Assert.Equal(input, output.ToString());
        await server.Served.WaitAsync(Bound, Token);
    }

    [Fact]
    public async Task RunAsync_InvalidUtf8FromServer_PrintsReplacementCharactersWithoutThrowing()
    {
        // 0xFF is never UTF-8; E2 82 starts a three-byte character that the echoed "o" cuts short.
        await using var server = new OneBytePerWriteServer(prefix: [0xFF, (byte)'A', 0xE2, 0x82]);
        await using EchoClient client = await EchoClient.ConnectAsync("127.0.0.1", server.Port, Bound, Token);
        var output = new StringWriter();

        await new EchoConsoleSession(client, new StringReader("ok\n"), output).RunAsync(Token).WaitAsync(Bound, Token);

        Assert.Equal("\uFFFDA\uFFFDok\n", output.ToString());
    }

    [Fact]
    public async Task RunAsync_ServerClosesWhileInputGoesOn_ThrowsIOExceptionNamingTheServer()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await using EchoClient client = await EchoClient.ConnectAsync("127.0.0.1", port, Bound, Token);
        var neverEndingInput = new Pipe();
        using var input = new StreamReader(neverEndingInput.Reader.AsStream());

        Task session = new EchoConsoleSession(client, input, new StringWriter()).RunAsync(Token);
        using (Socket accepted = await listener.AcceptAsync(Token).AsTask().WaitAsync(Bound, Token))
        {
            accepted.Shutdown(SocketShutdown.Both);
        }

        IOException error = await Assert.ThrowsAsync<IOException>(() => session.WaitAsync(Bound, Token));
        Assert.Contains($"127.0.0.1 port {port}", error.Message, StringComparison.Ordinal);
        await neverEndingInput.Writer.CompleteAsync();
    }

    [Fact]
    public async Task Constructor_NullArgument_ThrowsArgumentNull()
    {
        await using EchoServer server = new EchoServerBuilder().Listen(0);
        await using EchoClient client = await EchoClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Bound, Token);

        Assert.Throws<ArgumentNullException>("client", () => new EchoConsoleSession(null!, new StringReader(""), new StringWriter()));
        Assert.Throws<ArgumentNullException>("input", () => new EchoConsoleSession(client, null!, new StringWriter()));
        Assert.Throws<ArgumentNullException>("output", () => new EchoConsoleSession(client, new StringReader(""), null!));
    }

    [Fact]
    public async Task RunAsync_Twice_ThrowsInvalidOperation()
    {
        await using EchoServer server = new EchoServerBuilder().Listen(0);
        await using EchoClient client = await EchoClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Bound, Token);
        var session = new EchoConsoleSession(client, new StringReader("once\n"), new StringWriter());
        await session.RunAsync(Token).WaitAsync(Bound, Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => session.RunAsync(Token));
    }
}
