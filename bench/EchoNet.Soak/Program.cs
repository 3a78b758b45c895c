// Soak load for an EchoNet server running in another process: mixed TCP and UDP load, every byte verified,
// for a fixed duration; prints what was done and every error by kind, and fails on any wrong byte.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EchoNet.Load;
using EchoNet.Load.Epoll;
using EchoNet.Soak;

SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

var tally = new SoakTally();
var clock = Stopwatch.StartNew();
var workers = new List<Task>();

// The steady load: long-lived connections from the load engine for the whole soak, every byte verified; on a fixed
// schedule where the engine's epoll loop runs, so a server's stalls show in its latency tail.
Task<BenchResult?> steady = options.TcpPort != 0 && options.SteadyConnections > 0 ? SteadyAsync(options) : Task.FromResult<BenchResult?>(null);
if (options.TcpPort != 0)
{
    var scenarios = new TcpScenarios(new IPEndPoint(options.Host, options.TcpPort));
    string[] deck = [.. TcpScenarios.Mix.SelectMany(static pick => Enumerable.Repeat(pick.Name, pick.Weight))];
    for (int worker = 0; worker < options.TcpWorkers; worker++)
    {
        var random = new Random(worker);
        workers.Add(Task.Run(() => LoopAsync(() => deck[random.Next(deck.Length)], (scenario, token) => scenarios.RunAsync(scenario, random, token))));
    }
}

if (options.UdpPort != 0)
{
    for (int worker = 0; worker < options.UdpWorkers; worker++)
    {
        var random = new Random(1000 + worker);
        workers.Add(Task.Run(async () =>
        {
            using var udp = new UdpScenario(new IPEndPoint(options.Host, options.UdpPort));
            await LoopAsync(() => UdpScenario.Name, (_, token) => udp.RunAsync(random, token));
        }));
    }
}

Console.WriteLine($"soak: {options.TcpWorkers} TCP workers on port {options.TcpPort}, {options.UdpWorkers} UDP workers on port {options.UdpPort}, {options.Duration.TotalSeconds:F0} s");
Task all = Task.WhenAll(workers);
while (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))) != all)
{
    Console.WriteLine($"  {clock.Elapsed.TotalSeconds,5:F0} s: {tally.Operations} operations, {tally.Mismatches} mismatches");
}

await all;
BenchResult? steadyResult = await steady;
Console.WriteLine(tally.Report(clock.Elapsed));
if (steadyResult is not null)
{
    Console.WriteLine(string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"steady load        {steadyResult.Connected} of {steadyResult.Settings.Connections} connections, {(steadyResult.Settings.Mode == BenchMode.Rate ? $"open loop at {steadyResult.Settings.Rate:F0} msg/s" : "ping-pong")}: {steadyResult.Total.Measured} echoes ({steadyResult.MessagesPerSecond:F0}/s), p50 {steadyResult.MicrosecondsAt(0.5):F0} µs, p99 {steadyResult.MicrosecondsAt(0.99):F0} µs, p99.99 {steadyResult.MicrosecondsAt(0.9999):F0} µs, max {steadyResult.MaxMicroseconds:F0} µs, {steadyResult.Errors} errors, {steadyResult.Total.Mismatches} mismatches"));
}

bool steadyClean = steadyResult is null || (steadyResult.Total.Mismatches == 0 && steadyResult.Connected > 0);
return tally.Mismatches == 0 && tally.Operations > 0 && steadyClean ? 0 : 1;

// One worker: scenarios one after another until the duration is up, each wait bounded by the operation timeout.
async Task LoopAsync(Func<string> pick, Func<string, CancellationToken, Task<long>> run)
{
    while (clock.Elapsed < options.Duration)
    {
        string scenario = pick();
        using var timeout = new CancellationTokenSource(options.OperationTimeout);
        try
        {
            tally.Verified(await run(scenario, timeout.Token));
            tally.Completed(scenario);
        }
        catch (Exception e)
        {
            tally.Failed(scenario, Classify(e));
        }
    }
}

static async Task<BenchResult?> SteadyAsync(SoakOptions options) => await new BenchRunner(new BenchSettings
{
    Target = new IPEndPoint(options.Host, options.TcpPort),
    Host = options.Host.ToString(),
    Connections = options.SteadyConnections,
    Size = 512,
    Duration = options.Duration,
    Warmup = TimeSpan.Zero,
    Mode = EpollInterop.IsSupported ? BenchMode.Rate : BenchMode.PingPong,
    Rate = EpollInterop.IsSupported ? options.SteadyRate : 0,
    Window = EpollInterop.IsSupported ? 1_024 : 1,
    IoTimeout = options.OperationTimeout,
}).RunAsync(CancellationToken.None);

static string Classify(Exception error) => error switch
{
    EchoMismatchException => EchoMismatchException.Kind,
    SocketException socket => $"socket {socket.SocketErrorCode}",
    OperationCanceledException or TimeoutException => "timeout",
    _ => error.GetType().Name,
};
