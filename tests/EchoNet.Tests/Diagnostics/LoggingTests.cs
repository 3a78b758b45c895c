using System.Net.Sockets;
using System.Text;
using EchoNet.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EchoNet.Tests.Diagnostics;

/// <summary>What the server logs: stable event ids, peers as addresses, and never a byte of payload.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task Logs_StartAcceptAndClose_WithStableIds_AndNoPayload()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        var log = new LogRecorder();
        EchoServer server = new EchoServerBuilder().UseThreadPerClient().UseLoggerFactory(log).Listen(0);
        const string Secret = "password=hunter2\nInjected: fake log line";

        using (Socket client = await Loopback.ConnectAsync(server, timeout.Token))
        {
            Assert.Equal(Encoding.UTF8.GetBytes(Secret), await Loopback.EchoToEndAsync(client, Encoding.UTF8.GetBytes(Secret), timeout.Token));
        }

        await server.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(timeout.Token);

        IReadOnlyCollection<LogEntry> records = log.Entries;
        Assert.Contains(records, r => r.Id.Id == 1 && r.Id.Name == "ServerStarted" && r.Level == LogLevel.Information);
        Assert.Contains(records, r => r.Id.Id == 10 && r.Id.Name == "ConnectionAccepted" && r.Message.Contains("127.0.0.1", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Id.Id == 11 && r.Id.Name == "ConnectionClosed");
        Assert.Contains(records, r => r.Id.Id == 9 && r.Id.Name == "ServerStopping" && r.Message.EndsWith("0 open connection(s) may go on for up to 5 s", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Id.Id == 2 && r.Id.Name == "ServerStopped");
        Assert.DoesNotContain(records, r => r.Message.Contains("hunter2", StringComparison.Ordinal) || r.Message.Contains("Injected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DefaultConnectionLimit_IsTheDescriptorLimits_SaidAtInformation_WithNoWarning()
    {
        var log = new LogRecorder();
        await using EchoServer server = new EchoServerBuilder().UseLoggerFactory(log).Listen(0);

        IReadOnlyCollection<LogEntry> records = log.Entries;
        LogEntry limit = Assert.Single(records, r => r.Id.Id == 6 && r.Id.Name == "ConnectionLimit");
        Assert.Equal(LogLevel.Information, limit.Level);
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task EventLoop_SaysOnceHowManyLoopsRun_AndOnWhichBackend()
    {
        var log = new LogRecorder();
        await using EchoServer server = new EchoServerBuilder().UseEventLoop(3).UseLoggerFactory(log).Listen(0);

        LogEntry started = Assert.Single(log.Entries, r => r.Id.Id == 7 && r.Id.Name == "EventLoopsStarted");
        Assert.Equal(LogLevel.Information, started.Level);
        Assert.Equal("3 event loop(s) on io_uring", started.Message);
        Assert.DoesNotContain(log.Entries, r => r.Id.Id == 8);
    }

    [Fact]
    public async Task EventLoop_WhereTheKernelRefusesIoUring_RunsOnEpoll_AndSaysWhy()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        var log = new LogRecorder();
        var options = new EchoServerOptions
        {
            Model = EchoConcurrencyModel.EventLoop,
            EventLoops = 2,
            LoggerFactory = log,
            IoUringProbe = () => Server.EventLoop.IoUringAvailability.Refused("io_uring_setup was refused (EPERM): a seccomp profile forbids it"),
        };
        await using EchoServer server = new EchoServerBuilder(options).Listen(0);

        LogEntry refused = Assert.Single(log.Entries, r => r.Id.Id == 8 && r.Id.Name == "IoUringRefused");
        Assert.Equal(LogLevel.Information, refused.Level);
        Assert.Equal("The event loop runs on epoll: io_uring_setup was refused (EPERM): a seccomp profile forbids it", refused.Message);
        Assert.Equal("2 event loop(s) on epoll", Assert.Single(log.Entries, r => r.Id.Id == 7).Message);
        using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal("still echoed"u8.ToArray(), await Loopback.EchoToEndAsync(client, "still echoed"u8.ToArray(), timeout.Token));
    }

    [Fact]
    public async Task EventLoop_WithEpollChosen_DoesNotProbeIoUring()
    {
        var log = new LogRecorder();
        var options = new EchoServerOptions
        {
            Model = EchoConcurrencyModel.EventLoop,
            EventLoopBackend = EchoEventLoopBackend.Epoll,
            EventLoops = 1,
            LoggerFactory = log,
            IoUringProbe = () => throw new InvalidOperationException("the probe ran"),
        };
        await using EchoServer server = new EchoServerBuilder(options).Listen(0);

        Assert.Equal("1 event loop(s) on epoll", Assert.Single(log.Entries, r => r.Id.Id == 7).Message);
        Assert.DoesNotContain(log.Entries, r => r.Id.Id == 8);
    }

    [Fact]
    public async Task ConnectionLimitAboveTheDescriptorLimit_IsLowered_WithAWarning()
    {
        var log = new LogRecorder();
        await using EchoServer server = new EchoServerBuilder().UseConnectionLimits(int.MaxValue).UseLoggerFactory(log).Listen(0);

        IReadOnlyCollection<LogEntry> records = log.Entries;
        LogEntry lowered = Assert.Single(records, r => r.Id.Id == 5 && r.Id.Name == "MaxConnectionsLowered");
        Assert.Equal(LogLevel.Warning, lowered.Level);
        Assert.DoesNotContain(records, r => r.Id.Id == 6);
    }

    [Fact]
    public async Task RejectedConnections_AreLoggedOnce_PerInterval_WithTheCount()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        var log = new LogRecorder();
        await using EchoServer server = new EchoServerBuilder().UseSelect().UseConnectionLimits(1).UseLoggerFactory(log).Listen(0);
        using Socket admitted = await Loopback.ConnectAsync(server, timeout.Token);
        await Loopback.SendAllAsync(admitted, "x"u8.ToArray(), timeout.Token);
        Assert.Equal("x"u8.ToArray(), await Loopback.ReceiveExactlyAsync(admitted, 1, timeout.Token));

        for (int i = 0; i < 20; i++)
        {
            try
            {
                using Socket refused = await Loopback.ConnectAsync(server, timeout.Token);
                await Loopback.ServerClosedAsync(refused, timeout.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                // Reset during the handshake's last step: refused all the same.
            }
        }

        Assert.Equal(20, server.Statistics.RejectedConnections);
        LogEntry rejection = Assert.Single(log.Entries, r => r.Id.Name == "ConnectionsRejected");
        Assert.Equal(14, rejection.Id.Id);
        Assert.Equal(LogLevel.Warning, rejection.Level);
    }
}
