using System.CommandLine;
using System.Net;
using EchoNet.Cli.Commands;
using Microsoft.Extensions.Logging;

namespace EchoNet.Cli.Tests.Commands;

/// <summary>
/// What <c>echonet serve</c> hands the library: its command line read into <see cref="EchoServerOptions"/>, typed
/// values for every named choice, and the library's own default for whatever is not given.
/// </summary>
public sealed class ServeOptionsTests
{
    [Fact]
    public void NothingGiven_LeavesEveryOptionAtTheLibrarysDefault()
    {
        var defaults = new EchoServerOptions();

        EchoServerOptions options = Options();

        Assert.Equal(defaults.Transports, options.Transports);
        Assert.Null(options.Model);
        Assert.Null(options.EventLoops);
        Assert.Equal(defaults.EventLoopBackend, options.EventLoopBackend);
        Assert.Null(options.Address);
        Assert.Equal(defaults.Port, options.Port);
        Assert.Equal(defaults.PortSharing, options.PortSharing);
        Assert.Equal(defaults.Backlog, options.Backlog);
        Assert.Equal(defaults.ReadSize, options.ReadSize);
        Assert.Equal(defaults.MaxOwedBytes, options.MaxOwedBytes);
        Assert.Null(options.MaxConnections);
        Assert.Null(options.MaxConnectionsPerSource);
        Assert.Null(options.IdleTimeout);
        Assert.Equal(defaults.ShutdownTimeout, options.ShutdownTimeout);
        Assert.Null(options.UnixSocketPath);
    }

    [Fact]
    public void EveryOptionGiven_ReachesTheLibrary()
    {
        EchoServerOptions options = Options(
            "-t", "both", "-m", "eventloop", "--loops", "3", "--backend", "epoll", "-p", "0", "-b", "127.0.0.1", "--port-sharing",
            "--backlog", "9", "--read-size", "1500", "--max-owed-bytes", "4000", "--max-connections", "40", "--max-connections-per-source", "4",
            "--idle-timeout", "2.5", "--shutdown-timeout", "0.5");

        Assert.Equal(EchoTransports.Tcp | EchoTransports.Udp, options.Transports);
        Assert.Equal(EchoConcurrencyModel.EventLoop, options.Model);
        Assert.Equal(3, options.EventLoops);
        Assert.Equal(EchoEventLoopBackend.Epoll, options.EventLoopBackend);
        Assert.Equal(IPAddress.Loopback, options.Address);
        Assert.Equal(0, options.Port);
        Assert.True(options.PortSharing);
        Assert.Equal(9, options.Backlog);
        Assert.Equal(1500, options.ReadSize);
        Assert.Equal(4000, options.MaxOwedBytes);
        Assert.Equal(40, options.MaxConnections);
        Assert.Equal(4, options.MaxConnectionsPerSource);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(0.5), options.ShutdownTimeout);

        // What the command line asks for is a server the library accepts.
        options.Validate();
    }

    [Theory]
    [InlineData("iterative", EchoConcurrencyModel.Iterative)]
    [InlineData("select", EchoConcurrencyModel.Select)]
    [InlineData("thread-per-client", EchoConcurrencyModel.ThreadPerClient)]
    [InlineData("async", EchoConcurrencyModel.Async)]
    [InlineData("eventloop", EchoConcurrencyModel.EventLoop)]
    [InlineData("Thread-Per-Client", EchoConcurrencyModel.ThreadPerClient)]
    public void Model_IsReadAsTheModelItNames(string name, EchoConcurrencyModel model) =>
        Assert.Equal(model, Options("--model", name).Model);

    [Theory]
    [InlineData("io_uring", EchoEventLoopBackend.IoUring)]
    [InlineData("epoll", EchoEventLoopBackend.Epoll)]
    public void Backend_IsReadAsTheBackendItNames(string name, EchoEventLoopBackend backend) =>
        Assert.Equal(backend, Options("--model", "eventloop", "--backend", name).EventLoopBackend);

    [Theory]
    [InlineData("tcp", EchoTransports.Tcp)]
    [InlineData("udp", EchoTransports.Udp)]
    [InlineData("both", EchoTransports.Tcp | EchoTransports.Udp)]
    public void Transport_IsReadAsTheTransportsItNames(string name, EchoTransports transports) =>
        Assert.Equal(transports, Options("--transport", name).Transports);

    [Fact]
    public void ALargeReadSizeAlone_RaisesTheOwedBytesCapWithIt() =>
        Assert.Equal(200_000, Options("--read-size", "200000").MaxOwedBytes);

    [Fact]
    public void Unix_ServesTheSocketAlone()
    {
        EchoServerOptions options = Options("--unix", "/tmp/echo.sock");

        Assert.Equal(EchoTransports.Unix, options.Transports);
        Assert.Equal("/tmp/echo.sock", options.UnixSocketPath);
    }

    [Theory]
    [InlineData("trace", LogLevel.Trace)]
    [InlineData("none", LogLevel.None)]
    [InlineData("Warning", LogLevel.Warning)]
    public void LogLevel_IsParsedToTheLevelItNames(string name, LogLevel level)
    {
        ParseResult parsed = new ServeCommand().Command.Parse(["--log-level", name]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(level, parsed.GetValue<LogLevel?>("--log-level"));
    }

    private static EchoServerOptions Options(params string[] arguments)
    {
        var serve = new ServeCommand();
        ParseResult parsed = serve.Command.Parse(arguments);
        Assert.Empty(parsed.Errors);
        return serve.ServerOptions(parsed);
    }
}
