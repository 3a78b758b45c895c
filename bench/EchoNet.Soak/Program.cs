// Soak load for an EchoNet server running in another process: mixed TCP and UDP load, every byte verified,
// for a fixed duration; prints what was done and every error by kind, and fails on any wrong byte.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
Console.WriteLine(tally.Report(clock.Elapsed));
return tally.Mismatches == 0 && tally.Operations > 0 ? 0 : 1;

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

static string Classify(Exception error) => error switch
{
    EchoMismatchException => EchoMismatchException.Kind,
    SocketException socket => $"socket {socket.SocketErrorCode}",
    OperationCanceledException or TimeoutException => "timeout",
    _ => error.GetType().Name,
};
