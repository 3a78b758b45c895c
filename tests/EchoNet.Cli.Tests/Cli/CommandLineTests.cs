namespace EchoNet.Cli.Tests.Cli;

/// <summary>Wrong command lines exit 2 with a message that says what is wrong; --version and --help work.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("PORT must be from 1 to 65535 (got 70000).", "bench", "127.0.0.1", "70000")]
    [InlineData("--connections must be from 1 to 20,000 (got 0).", "bench", "127.0.0.1", "7", "--connections", "0")]
    [InlineData("--duration must be more than 0 and at most 3600 seconds (got 0).", "bench", "127.0.0.1", "7", "--duration", "0")]
    [InlineData("--window applies to --mode pipeline and --rate only", "bench", "127.0.0.1", "7", "--window", "4")]
    [InlineData("--rate must be from 1 to 10,000,000 messages per second (got 0).", "bench", "127.0.0.1", "7", "--rate", "0")]
    [InlineData("--rate sends on a schedule over TCP", "bench", "127.0.0.1", "7", "--rate", "100", "--mode", "pipeline")]
    [InlineData("--histogram writes one run's distribution", "bench", "127.0.0.1", "7", "--histogram", "h.txt", "--sweep", "size=64")]
    [InlineData("--udp runs ping-pong only", "bench", "127.0.0.1", "7", "--udp", "--mode", "pipeline")]
    [InlineData("--size must be at most 65,507 bytes with --udp", "bench", "127.0.0.1", "7", "--udp", "--size", "70000")]
    [InlineData("--model must be one of iterative, select, thread-per-client, async, eventloop (got 'forked').", "serve", "--model", "forked")]
    [InlineData("--model must be one of iterative, select, thread-per-client, async, eventloop (got 'forked').", "serve", "--model", "forked", "--transport", "udp")]
    [InlineData("--transport must be one of tcp, udp, both (got 'sctp').", "serve", "--transport", "sctp")]
    [InlineData("--backend must be one of io_uring, epoll (got 'kqueue').", "serve", "--model", "eventloop", "--backend", "kqueue")]
    [InlineData("--log-level must be one of trace, debug, information, warning, error, none (got 'loud').", "serve", "--log-level", "loud")]
    [InlineData("--mode must be one of pingpong, pipeline (got 'flood').", "bench", "127.0.0.1", "7", "--mode", "flood")]
    [InlineData("--transport must be one of tcp, udp, both (got 'sctp').", "check", "127.0.0.1", "7", "--transport", "sctp")]
    [InlineData("--model select cannot serve TLS", "serve", "--model", "select", "--tls-self-signed")]
    [InlineData("--port must be a whole number from 0 to 65,535 (got 'abc').", "serve", "--port", "abc")]
    [InlineData("--shutdown-timeout must be a number of seconds, such as 5 or 0.5 (got 'soon').", "serve", "--shutdown-timeout", "soon")]
    [InlineData("--idle-timeout must be a number of seconds, at least 1 (got '1m').", "serve", "--idle-timeout", "1m")]
    [InlineData("PORT must be a whole number from 1 to 65535 (got 'echo').", "bench", "127.0.0.1", "echo")]
    [InlineData("--size must be a whole number from 1 to 1,048,576 (got '1k').", "bench", "127.0.0.1", "7", "--size", "1k")]
    [InlineData("--rate must be a number of messages per second, such as 50000 (got 'fast').", "bench", "127.0.0.1", "7", "--rate", "fast")]
    [InlineData("--seed must be a whole number (got 'x').", "check", "127.0.0.1", "7", "--seed", "x")]
    [InlineData("with --transport udp there is no model to choose", "serve", "--transport", "udp", "--model", "select")]
    [InlineData("--bind must be an IP address of this host", "serve", "--bind", "example")]
    [InlineData("--port must be from 0 to 65,535 (got 65,536).", "serve", "--port", "65536")]
    [InlineData("--udp is short for --transport udp", "check", "127.0.0.1", "7", "--udp", "--transport", "tcp")]
    [InlineData("Give the server's HOST and PORT, or --unix PATH for a Unix domain socket.", "check")]
    public async Task BadArguments_ExitTwo_WithAMessageThatSaysWhatIsWrong(string message, params string[] arguments)
    {
        (int exitCode, EchonetProcess echonet) = await EchonetProcess.RunAsync(arguments);
        using (echonet)
        {
            Assert.Equal(2, exitCode);
            Assert.Contains(message, echonet.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_PrintsTheVersionAndExitsZero()
    {
        (int exitCode, EchonetProcess echonet) = await EchonetProcess.RunAsync("--version");
        using (echonet)
        {
            Assert.Equal(0, exitCode);
            Assert.Matches(@"^\d+\.\d+\.\d+", echonet.Stdout);
        }
    }

    [Theory]
    [InlineData("serve", "--transport")]
    [InlineData("bench", "--connections")]
    [InlineData("check", "--udp")]
    public async Task Help_ListsTheCommandsOptions(string command, string option)
    {
        (int exitCode, EchonetProcess echonet) = await EchonetProcess.RunAsync(command, "--help");
        using (echonet)
        {
            Assert.Equal(0, exitCode);
            Assert.Contains(option, echonet.Stdout, StringComparison.Ordinal);
        }
    }
}
