using System.Net;
using EchoNet.Cli.Bench;
using EchoNet.Cli.Tests.BrokenServers;

namespace EchoNet.Cli.Tests.Bench;

/// <summary>Both TCP drivers of the bench (the epoll loop and async sockets) verify every byte and end by themselves.</summary>
public sealed class BenchRunnerTests
{
    public static TheoryData<bool, string, int, int> Loads => new()
    {
        { false, "pingpong", 1, 64 },
        { false, "pipeline", 8, 100_000 },
        { true, "pingpong", 1, 64 },
        { true, "pipeline", 8, 100_000 },
    };

    [Theory]
    [MemberData(nameof(Loads))]
    public async Task Run_AgainstEchoNetServer_VerifiesEveryEchoWithoutFaults(bool epoll, string mode, int window, int size)
    {
        await using EchoServer server = new EchoServerBuilder().BindTo(IPAddress.Loopback).Listen(0);
        BenchSettings settings = Settings(server.LocalEndPoint, epoll) with
        {
            Mode = mode == "pipeline" ? BenchMode.Pipeline : BenchMode.PingPong,
            Window = window,
            Size = size,
        };

        BenchResult result = await new BenchRunner(settings, new ProgressLine(TextWriter.Null, enabled: false))
            .RunAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Run, TestContext.Current.CancellationToken);

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

        BenchResult result = await new BenchRunner(settings, new ProgressLine(TextWriter.Null, enabled: false))
            .RunAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Run, TestContext.Current.CancellationToken);

        Assert.Equal(3, result.Total.Mismatches);
        Assert.False(result.Clean);
    }

    private static BenchSettings Settings(IPEndPoint server, bool epoll) => new()
    {
        Target = new IPEndPoint(IPAddress.Loopback, server.Port),
        Host = "127.0.0.1",
        Connections = 3,
        Duration = TimeSpan.FromSeconds(0.3),
        Warmup = TimeSpan.FromSeconds(0.1),
        UseEpoll = epoll,
    };
}
