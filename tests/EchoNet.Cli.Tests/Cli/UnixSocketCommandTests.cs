using System.Text.Json;
using EchoNet.Tests.Support;

namespace EchoNet.Cli.Tests.Cli;

/// <summary><c>--unix PATH</c> on every command: serve a Unix socket, and talk to, check and load-test one.</summary>
public sealed class UnixSocketCommandTests
{
    [Fact]
    public async Task ServeUnix_IsCheckedTalkedToAndBenched_ThenRemovesItsFile()
    {
        using var socketPath = new UnixSocketPath();
        using EchonetProcess serve = EchonetProcess.Start("serve", "--unix", socketPath.Path, "--model", "select");
        Assert.Equal($"Listening on {socketPath.Path} (Unix, Select)", await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step));

        (int checkExit, EchonetProcess check) = await EchonetProcess.RunAsync("check", "--unix", socketPath.Path);
        using (check)
        {
            Assert.True(checkExit == 0, $"exit {checkExit}; stdout: {check.Stdout} stderr: {check.Stderr}");
            Assert.StartsWith($"Checking Unix socket {socketPath.Path} for RFC 862 conformance", check.Stdout, StringComparison.Ordinal);
            Assert.Contains("6 passed, 0 failed: conforms to RFC 862", check.Stdout, StringComparison.Ordinal);
        }

        using (EchonetProcess client = EchonetProcess.Start("client", "--unix", socketPath.Path))
        {
            await client.WriteInputAndCloseAsync("hello\nhého ✓\n");
            int clientExit = await client.WaitForExitAsync(TestTimeouts.Run);
            Assert.True(clientExit == 0, $"exit {clientExit}; stderr: {client.Stderr}");
            Assert.Equal("hello\nhého ✓\n", client.Stdout);
            Assert.Contains($"Connected to {socketPath.Path} (Unix socket)", client.Stderr, StringComparison.Ordinal);
        }

        (int benchExit, EchonetProcess bench) = await EchonetProcess.RunAsync("bench", "--unix", socketPath.Path, "-c", "4", "-d", "0.5", "-w", "0", "--json");
        using (bench)
        {
            Assert.True(benchExit == 0, $"exit {benchExit}; stdout: {bench.Stdout} stderr: {bench.Stderr}");
            using JsonDocument result = JsonDocument.Parse(bench.Stdout);
            Assert.Equal("unix", result.RootElement.GetProperty("proto").GetString());
            Assert.Equal(socketPath.Path, result.RootElement.GetProperty("address").GetString());
            Assert.Equal(4, result.RootElement.GetProperty("conns_ok").GetInt32());
            Assert.True(result.RootElement.GetProperty("msgs").GetInt64() > 0, bench.Stdout);
            Assert.Equal(0, result.RootElement.GetProperty("mismatches").GetInt64());
        }

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TestTimeouts.Step));
        Assert.False(File.Exists(socketPath.Path), "echonet serve left its socket file behind.");
    }

    [Theory]
    [InlineData("--port", "7", "--port does not apply to --unix")]
    [InlineData("--bind", "127.0.0.1", "--bind does not apply to --unix")]
    [InlineData("--transport", "udp", "--transport does not apply to --unix")]
    [InlineData("--max-connections-per-source", "3", "--max-connections-per-source does not apply to --unix")]
    [InlineData("--tls-cert", "/tmp/never-read.pem", "--tls-cert does not apply to --unix: TLS is served over TCP")]
    public async Task ServeUnix_WithAnIpOnlyOption_IsAWrongCommandLine(string option, string value, string message)
    {
        (int exitCode, EchonetProcess serve) = await EchonetProcess.RunAsync("serve", "--unix", "/tmp/never-served.sock", option, value);
        using (serve)
        {
            Assert.Equal(2, exitCode);
            Assert.Contains(message, serve.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("check")]
    [InlineData("bench")]
    [InlineData("client")]
    public async Task UnixWithTls_IsAWrongCommandLine(string command)
    {
        (int exitCode, EchonetProcess process) = await EchonetProcess.RunAsync(command, "--unix", "/tmp/never-served.sock", "--tls");
        using (process)
        {
            Assert.Equal(2, exitCode);
            Assert.Contains("a Unix socket echo is served in plain text. Give one or the other.", process.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Client_ToAPathWhereNothingListens_ExitsOne_SuggestingEchonetServe()
    {
        using var socketPath = new UnixSocketPath();

        using EchonetProcess client = EchonetProcess.Start("client", "--unix", socketPath.Path);
        await client.WriteInputAndCloseAsync("hello\n");
        int exitCode = await client.WaitForExitAsync(TestTimeouts.Run);

        Assert.Equal(1, exitCode);
        Assert.Contains($"Cannot connect to Unix socket {socketPath.Path}: there is no socket file at that path.", client.Stderr, StringComparison.Ordinal);
        Assert.Contains($"With this tool: `echonet serve --unix {socketPath.Path}`.", client.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("bench")]
    [InlineData("client")]
    public async Task UnixAndHostPortTogether_OrNeither_IsAWrongCommandLine(string command)
    {
        (int both, EchonetProcess withBoth) = await EchonetProcess.RunAsync(command, "localhost", "7", "--unix", "/tmp/e.sock");
        (int neither, EchonetProcess withNeither) = await EchonetProcess.RunAsync(command);
        using (withBoth)
        using (withNeither)
        {
            Assert.Equal((2, 2), (both, neither));
            Assert.Contains("--unix PATH takes the place of HOST and PORT; give one or the other.", withBoth.Stderr, StringComparison.Ordinal);
            Assert.Contains("Give the server's HOST and PORT, or --unix PATH for a Unix domain socket.", withNeither.Stderr, StringComparison.Ordinal);
        }
    }
}
