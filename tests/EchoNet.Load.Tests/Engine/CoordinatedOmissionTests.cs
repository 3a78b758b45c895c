using System.Net;
using EchoNet.Load.Epoll;
using EchoNet.Load.Tests.BrokenServers;

namespace EchoNet.Load.Tests.Engine;

/// <summary>
/// The point of rate mode. Against a server that stalls for 250 ms once a second, a closed loop sends nothing while
/// it waits, so each stall costs it one slow sample among thousands, and its p99 looks healthy. The open loop keeps
/// sending on schedule and counts from the intended send times, so every message due during a stall shows it: a
/// quarter of them are late by up to 250 ms, and the p99 is the stall.
/// </summary>
public sealed class CoordinatedOmissionTests
{
    [Fact]
    public async Task StallingServer_ShowsInTheOpenLoopP99_WhileTheClosedLoopP99HidesIt()
    {
        // Two runs side by side, each against its own server, measured from 0.2 s to 2.2 s: two stalls each (at 0.5 s and 1.5 s).
        await using var closedServer = new StallingEchoServer();
        await using var openServer = new StallingEchoServer();
        Task<BenchResult> closed = RunAsync(Settings(closedServer.EndPoint));
        Task<BenchResult> open = RunAsync(Settings(openServer.EndPoint) with { Mode = BenchMode.Rate, Rate = 1_000, Window = 1_024 });
        BenchResult closedLoop = await closed;
        BenchResult openLoop = await open;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"closed loop: {closedLoop.Total.Measured} echoes, p99 {closedLoop.MicrosecondsAt(0.99):N0} µs, max {closedLoop.MaxMicroseconds:N0} µs; "
            + $"open loop: {openLoop.Total.Measured} echoes, p90 {openLoop.MicrosecondsAt(0.90):N0} µs, p99 {openLoop.MicrosecondsAt(0.99):N0} µs, max {openLoop.MaxMicroseconds:N0} µs");

        Assert.True(closedLoop.Clean && openLoop.Clean, $"closed: errors {closedLoop.Errors}; open: errors {openLoop.Errors}");

        // The closed loop met the stalls (its max) but they are a handful of its samples.
        Assert.True(closedLoop.MaxMicroseconds >= 150_000, $"closed-loop max {closedLoop.MaxMicroseconds:N0} µs: it never met a stall");
        Assert.True(closedLoop.Total.Measured >= 1_000, $"closed loop: only {closedLoop.Total.Measured} echoes");
        Assert.True(closedLoop.MicrosecondsAt(0.99) < 50_000, $"closed-loop p99 {closedLoop.MicrosecondsAt(0.99):N0} µs");

        // The open loop shows them where it matters.
        Assert.True(openLoop.MicrosecondsAt(0.99) >= 100_000, $"open-loop p99 {openLoop.MicrosecondsAt(0.99):N0} µs");
        Assert.True(openLoop.MicrosecondsAt(0.90) >= 10_000, $"open-loop p90 {openLoop.MicrosecondsAt(0.90):N0} µs");
    }

    private static Task<BenchResult> RunAsync(BenchSettings settings) =>
        new BenchRunner(settings).RunAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Run, TestContext.Current.CancellationToken);

    private static BenchSettings Settings(IPEndPoint server) => new()
    {
        Target = server,
        Host = "127.0.0.1",
        Connections = 1,
        Duration = TimeSpan.FromSeconds(2),
        Warmup = TimeSpan.FromSeconds(0.2),
        UseEpoll = EpollInterop.IsSupported,
    };
}
