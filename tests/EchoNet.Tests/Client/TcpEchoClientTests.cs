using System.Net;
using System.Text;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Client;

/// <summary>
/// What an <see cref="EchoClient"/> over TCP and the <see cref="EchoConsoleSession"/> must do against a server; every
/// TCP model runs these tests through a sealed subclass in TcpEchoClientTestsPerModel.cs.
/// </summary>
public abstract class TcpEchoClientTests<TModel>
    where TModel : ITcpModel
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task EchoAsync_Bytes_ReturnsSameBytes()
    {
        await using EchoServer server = StartServer();
        await using EchoClient client = await ConnectAsync(server);
        byte[] data = [0, 1, 2, 0xFF, 0x0D, 0x0A, 42];

        byte[] echo = await client.EchoAsync(data, Token).WaitAsync(Bound, Token);

        Assert.Equal(data, echo);
    }

    [Fact]
    public async Task EchoAsync_LargeBuffer_ReturnsSameBytes()
    {
        await using EchoServer server = StartServer();
        await using EchoClient client = await ConnectAsync(server);
        byte[] data = new byte[4 * 1024 * 1024];
        new Random(862).NextBytes(data);

        byte[] echo = await client.EchoAsync(data, Token).WaitAsync(Bound, Token);

        Assert.Equal(data.Length, echo.Length);
        Assert.True(data.AsSpan().SequenceEqual(echo), "The echo of 4 MiB differs from what was sent.");
    }

    [Fact]
    public async Task EchoAsync_Text_RoundTripsUtf8()
    {
        await using EchoServer server = StartServer();
        await using EchoClient client = await ConnectAsync(server);
        const string text = "hého, ✓ 😀 — Ελληνικά\n";

        string echo = await client.EchoAsync(text, Token).WaitAsync(Bound, Token);

        Assert.Equal(text, echo);
    }

    [Fact]
    public async Task EchoAsync_ManyCalls_EachReturnsItsOwnBytes()
    {
        await using EchoServer server = StartServer();
        await using EchoClient client = await ConnectAsync(server);

        for (int i = 0; i < 200; i++)
        {
            string message = $"message {i} " + new string('x', i * 37);
            Assert.Equal(message, await client.EchoAsync(message, Token).WaitAsync(Bound, Token));
        }
    }

    [Fact]
    public async Task CompleteSending_ReceivesEverythingOwed_ThenEnd()
    {
        await using EchoServer server = StartServer();
        await using EchoClient client = await ConnectAsync(server);
        byte[] data = new byte[1024 * 1024];
        new Random(7).NextBytes(data);

        Task<byte[]> receiving = ReceiveToEndAsync(client);
        for (int offset = 0; offset < data.Length; offset += 64 * 1024)
        {
            await client.SendAsync(data.AsMemory(offset, 64 * 1024), Token).AsTask().WaitAsync(Bound, Token);
        }

        await client.CompleteSendingAsync();
        byte[] echo = await receiving.WaitAsync(Bound, Token);

        Assert.True(data.AsSpan().SequenceEqual(echo), $"Expected {data.Length} echoed bytes then the end, got {echo.Length} that differ.");
    }

    [Fact]
    public async Task ConnectAsync_Localhost_ReachesDualStackServer()
    {
        await using EchoServer server = StartServer();

        await using EchoClient client = await EchoClient.ConnectAsync("localhost", server.LocalEndPoint.Port, Bound, Token);

        Assert.True(IPAddress.IsLoopback(((IPEndPoint)client.RemoteEndPoint).Address), $"Connected to {client.RemoteEndPoint}, not a loopback address.");
        Assert.Equal("ping", await client.EchoAsync("ping", Token).WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task ConsoleSession_ManyLines_WritesEchoExactly()
    {
        string[] lines = [.. Enumerable.Range(0, 2000).Select(i => $"line {i}: hého ✓")];
        string input = string.Join('\n', lines) + "\n";

        string output = await RunSessionAsync(input);

        Assert.Equal(input, output);
    }

    [Fact]
    public async Task ConsoleSession_LargePaste_WritesEchoExactly()
    {
        var paste = new StringBuilder(1024 * 1024 + 128);
        for (int i = 0; paste.Length < 1024 * 1024; i++)
        {
            paste.Append("pasted line ").Append(i).Append(' ').Append('é', i % 50).Append('\n');
        }

        string output = await RunSessionAsync(paste.ToString());

        Assert.Equal(paste.ToString(), output);
    }

    [Fact]
    public async Task ConsoleSession_EmptyLine_EndsSessionAndSendsNothingAfter()
    {
        string output = await RunSessionAsync("first\nsecond\n\nnot sent\nnor this\n");

        Assert.Equal("first\nsecond\n", output);
    }

    [Fact]
    public async Task ConsoleSession_EndOfInputWithoutNewline_SendsLastLineWithNewline()
    {
        string output = await RunSessionAsync("one\r\ntwo\r\nlast");

        Assert.Equal("one\ntwo\nlast\n", output);
    }

    [Fact]
    public async Task ConsoleSession_EmptyInput_EndsWithoutOutput()
    {
        await using EchoServer server = StartServer();
        await using EchoClient client = await ConnectAsync(server);
        var output = new StringWriter();

        await new EchoConsoleSession(client, new StringReader(""), output).RunAsync(Token).WaitAsync(Bound, Token);

        Assert.Equal("", output.ToString());
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<byte[]> ReceiveToEndAsync(EchoClient client)
    {
        var received = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        int count;
        while ((count = await client.ReceiveAsync(buffer, Token)) > 0)
        {
            received.Write(buffer, 0, count);
        }

        return received.ToArray();
    }

    private static Task<EchoClient> ConnectAsync(EchoServer server) =>
        EchoClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Bound, Token);

    private static EchoServer StartServer() => TModel.Use(new EchoServerBuilder()).Listen(0);

    private static async Task<string> RunSessionAsync(string input)
    {
        await using EchoServer server = StartServer();
        await using EchoClient client = await ConnectAsync(server);
        var output = new StringWriter();

        await new EchoConsoleSession(client, new StringReader(input), output).RunAsync(Token).WaitAsync(Bound, Token);

        return output.ToString();
    }
}
