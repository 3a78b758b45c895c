using System.Net;
using EchoNet.Cli.Tests.BrokenServers;
using EchoNet.Load.Epoll;

namespace EchoNet.Load.Tests.Engine;

/// <summary>Both TCP drivers of the engine (the epoll loop and async sockets) verify every byte and end by themselves.</summary>
public sealed class BenchRunnerTests
{
    [Theory]
    [InlineData(false, 1, 64)]
    [InlineData(false, 8, 100_000)]
    [InlineData(true, 1, 64)]
    [InlineData(true, 8, 100_000)]
    public async Task Run_AgainstEchoNetServer_VerifiesEveryEchoWithoutFaults(bool epoll, int window, int size)
    {
        await using EchoServer server = new EchoServerBuilder().BindTo(IPAddress.Loopback).Listen(0);
        BenchSettings settings = Settings(server.LocalEndPoint, epoll) with
        {
            Mode = window > 1 ? BenchMode.Pipeline : BenchMode.PingPong,
            Window = window,
            Size = size,
        };

        BenchResult result = await RunAsync(settings);

        Assert.True(result.Clean, $"mismatches {result.Total.Mismatches}, errors {result.Errors}");
        Assert.Equal(3, result.Connected);
        Assert.True(result.Total.Measured > 0);
        Assert.Equal(result.Total.Measured, result.Total.Latency.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_AgainstCorruptingServer_CountsOneMismatchPerConnection(bool epoll)
    {
        await using var server = new CorruptingEchoServer();
        BenchSettings settings = Settings(server.EndPoint, epoll) with { Size = 600 };

        BenchResult result = await RunAsync(settings);

        Assert.Equal(3, result.Total.Mismatches);
        Assert.False(result.Clean);
    }

    [Fact]
    public async Task Run_Udp_AgainstEchoNetServer_VerifiesEveryDatagram()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().BindTo(IPAddress.Loopback).Listen(0);
        BenchSettings settings = Settings(server.LocalEndPoint, epoll: false) with { Udp = true, Size = 1_500 };

        BenchResult result = await RunAsync(settings);

        Assert.True(result.Clean, $"mismatches {result.Total.Mismatches}, errors {result.Errors}");
        Assert.True(result.Total.Measured > 0);
    }

    [Fact]
    public async Task Rate_AgainstEchoNetServer_SendsExactlyTheScheduledMessages()
    {
        // 3 connections at 600 msg/s for 0.5 s measured: 300 messages are due in the measured time, give or take one per connection.
        await using EchoServer server = new EchoServerBuilder().BindTo(IPAddress.Loopback).Listen(0);
        BenchSettings settings = Settings(server.LocalEndPoint, epoll: true) with
        {
            Mode = BenchMode.Rate,
            Rate = 600,
            Window = 64,
            Duration = TimeSpan.FromSeconds(0.5),
        };

        BenchResult result = await RunAsync(settings);

        Assert.True(result.Clean, $"mismatches {result.Total.Mismatches}, errors {result.Errors}");
        Assert.InRange(result.Total.Measured, 300 - 3, 300 + 3);
        Assert.Equal(result.Total.Measured, result.Total.Latency.Count);
        Assert.Equal(result.Total.Measured, result.Total.SendLag.Count);
        Assert.InRange(result.MessagesPerSecond, 600 * 0.98, 600 * 1.02);
    }

    [Fact]
    public void Settings_RateOutsideRateMode_IsRefusedNamingTheSetting()
    {
        BenchSettings settings = Settings(new IPEndPoint(IPAddress.Loopback, 7), epoll: true) with { Mode = BenchMode.Pipeline, Window = 8, Rate = 100 };

        ArgumentException error = Assert.Throws<ArgumentException>(() => new BenchRunner(settings));

        Assert.Equal(nameof(BenchSettings.Rate), error.ParamName);
    }

    [Fact]
    public void Settings_WindowInPingPong_IsRefusedNamingTheSetting()
    {
        BenchSettings settings = Settings(new IPEndPoint(IPAddress.Loopback, 7), epoll: false) with { Window = 4 };

        ArgumentException error = Assert.Throws<ArgumentException>(() => new BenchRunner(settings));

        Assert.Equal(nameof(BenchSettings.Window), error.ParamName);
    }

    [Fact]
    public void Settings_RateOnAsyncSockets_IsRefused()
    {
        BenchSettings settings = Settings(new IPEndPoint(IPAddress.Loopback, 7), epoll: false) with { Mode = BenchMode.Rate, Rate = 100, Window = 8 };

        PlatformNotSupportedException error = Assert.Throws<PlatformNotSupportedException>(() => new BenchRunner(settings));

        Assert.Contains("epoll", error.Message, StringComparison.Ordinal);
    }

    private static Task<BenchResult> RunAsync(BenchSettings settings) =>
        new BenchRunner(settings).RunAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Run, TestContext.Current.CancellationToken);

    private static BenchSettings Settings(IPEndPoint server, bool epoll) => new()
    {
        Target = new IPEndPoint(IPAddress.Loopback, server.Port),
        Host = "127.0.0.1",
        Connections = 3,
        Duration = TimeSpan.FromSeconds(0.3),
        Warmup = TimeSpan.FromSeconds(0.1),
        UseEpoll = epoll && EpollInterop.IsSupported,
    };
}
