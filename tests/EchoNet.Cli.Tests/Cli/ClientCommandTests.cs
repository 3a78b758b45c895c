using System.Globalization;
using System.Net;

namespace EchoNet.Cli.Tests.Cli;

/// <summary><c>echonet client</c> as a process: lines in, echo out, over TCP and UDP, and a clear failure.</summary>
public sealed class ClientCommandTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Client_PrintsTheEchoOfEachLine_UntilTheEmptyLine(bool udp)
    {
        EchoServerBuilder builder = new EchoServerBuilder().BindTo(IPAddress.Loopback);
        await using EchoServer server = (udp ? builder.UseUdp() : builder).Listen(0);
        string port = server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);
        string[] arguments = udp ? ["client", "127.0.0.1", port, "--udp"] : ["client", "127.0.0.1", port];

        using EchonetProcess client = EchonetProcess.Start(arguments);
        await client.WriteInputAndCloseAsync("hello\nhého ✓\n\nnot sent\n");
        int exitCode = await client.WaitForExitAsync(TestTimeouts.Run);

        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {client.Stderr}");
        Assert.Equal("hello\nhého ✓\n", client.Stdout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Client_WithNothingListening_ExitsOne_SuggestingEchonetServe(bool udp)
    {
        // A port just freed by a server of ours: nothing listens there now.
        EchoServerBuilder builder = new EchoServerBuilder().BindTo(IPAddress.Loopback);
        EchoServer server = (udp ? builder.UseUdp() : builder).Listen(0);
        string port = server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);
        await server.StopAsync(TimeSpan.Zero);
        string[] arguments = udp ? ["client", "127.0.0.1", port, "--udp", "--timeout", "5"] : ["client", "127.0.0.1", port];

        using EchonetProcess client = EchonetProcess.Start(arguments);
        await client.WriteInputAndCloseAsync("hello\n");
        int exitCode = await client.WaitForExitAsync(TestTimeouts.Run);

        Assert.Equal(1, exitCode);
        Assert.Contains(udp ? "unreachable" : "refused", client.Stderr, StringComparison.OrdinalIgnoreCase);
        string serve = udp ? $"`echonet serve --transport udp --port {port}`" : $"`echonet serve --port {port}`";
        Assert.Contains(serve, client.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet run", client.Stderr, StringComparison.Ordinal);
    }
}
