using System.Diagnostics;
using System.Net.Sockets;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

/// <summary>
/// A client that sends 64 MiB and never reads: the server must push back (not buffer it), so its memory stays
/// bounded, the other clients keep their echo, and a stop is not held up by it. Each model runs it through a sealed
/// subclass in NonReadingClientTestsPerModel.cs, in the <see cref="ProcessMemoryMeasurements"/> collection.
/// </summary>
public abstract class NonReadingClientTests<TModel>
    where TModel : ITcpModel
{
    private const int HogBytes = 64 << 20;
    private const int HogChunk = 1 << 20;

    /// <summary>Memory the process may gain while the hog is stalled: well under the 64 MiB it tried to send.</summary>
    private const long MaxHeapGrowth = 32L << 20;

    /// <summary>A liveness bound on one echo of the other client, not a performance target.</summary>
    private static readonly TimeSpan MaxEchoLatency = TimeSpan.FromSeconds(2);

    /// <summary>The bound on the hog reaching its stall: the kernel buffers fill in well under a second on loopback.</summary>
    private static readonly TimeSpan StallBound = TimeSpan.FromSeconds(15);

    /// <summary>A liveness bound on a stop with no drain: it closes what is open and returns.</summary>
    private static readonly TimeSpan PromptStopBound = TimeSpan.FromSeconds(5);

    /// <summary>How long the hog's progress must stand still to count as stalled.</summary>
    private static readonly TimeSpan StallQuiet = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task HogSending64MiBWithoutReading_Stalls_ServerMemoryStaysBounded_AndOtherClientsKeepEchoing()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = TModel.Use(new EchoServerBuilder()).Listen(0);
        byte[] chunk = Loopback.RandomBytes(HogChunk, seed: 64);
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long workingSetBefore = WorkingSet();

        using Socket hog = await Loopback.ConnectAsync(server, timeout.Token);
        using CancellationTokenSource hogStop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        long hogSent = 0;
        Task flooding = FloodAsync(hog, chunk, bytes => Interlocked.Add(ref hogSent, bytes), hogStop.Token);

        Assert.True(await StallsAsync(() => Interlocked.Read(ref hogSent), flooding, timeout.Token), $"The hog never stalled: it sent {Interlocked.Read(ref hogSent)} bytes.");
        long stalledAt = Interlocked.Read(ref hogSent);
        Assert.True(stalledAt < HogBytes, "The hog sent all 64 MiB without reading: nothing pushed back.");

        TimeSpan slowestEcho = TimeSpan.Zero;
        if (TModel.ServesClientsConcurrently)
        {
            slowestEcho = await SlowestOfTwentyEchoesAsync(server, timeout.Token);
        }

        long heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        long workingSetGrowth = WorkingSet() - workingSetBefore;
        string figures = $"hog stalled after {stalledAt >> 10} KiB; heap grew {heapGrowth >> 10} KiB, working set {workingSetGrowth >> 10} KiB";
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        Assert.True(heapGrowth < MaxHeapGrowth, figures);
        Assert.True(workingSetGrowth < 2 * MaxHeapGrowth, figures);

        Loopback.Reset(hog);
        await hogStop.CancelAsync();
        await Task.WhenAny(flooding).WaitAsync(timeout.Token);

        // The iterative model serves the next client once the hog has gone.
        if (!TModel.ServesClientsConcurrently)
        {
            slowestEcho = await SlowestOfTwentyEchoesAsync(server, timeout.Token);
        }

        Assert.True(slowestEcho < MaxEchoLatency, $"The slowest echo took {slowestEcho.TotalMilliseconds} ms; {figures}.");
    }

    [Fact]
    public async Task StalledHog_DoesNotHoldUpAStopWithoutDrain()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        EchoServer server = TModel.Use(new EchoServerBuilder()).Listen(0);
        await using (server)
        {
            using Socket hog = await Loopback.ConnectAsync(server, timeout.Token);
            using CancellationTokenSource hogStop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            long hogSent = 0;
            Task flooding = FloodAsync(hog, Loopback.RandomBytes(HogChunk, seed: 65), bytes => Interlocked.Add(ref hogSent, bytes), hogStop.Token);
            Assert.True(await StallsAsync(() => Interlocked.Read(ref hogSent), flooding, timeout.Token), "The hog never stalled.");

            // The server is stuck sending to the hog (every model but select blocks in that send): the stop must close it.
            var watch = Stopwatch.StartNew();
            await server.StopAsync(TimeSpan.Zero).WaitAsync(timeout.Token);
            watch.Stop();

            Assert.InRange(watch.Elapsed, TimeSpan.Zero, PromptStopBound);
            Assert.True(server.Completion.IsCompletedSuccessfully);
            await hogStop.CancelAsync();
            await Task.WhenAny(flooding).WaitAsync(timeout.Token);
        }
    }

    /// <summary>Sends up to 64 MiB in 1 MiB chunks, reporting progress, until done, stopped or failed.</summary>
    private static async Task FloodAsync(Socket hog, byte[] chunk, Action<int> sent, CancellationToken stop)
    {
        for (int total = 0; total < HogBytes;)
        {
            int count = await hog.SendAsync(chunk, SocketFlags.None, stop);
            sent(count);
            total += count;
        }
    }

    /// <summary>True once <paramref name="progress"/> has stood still for <see cref="StallQuiet"/> with the flood still sending.</summary>
    private static async Task<bool> StallsAsync(Func<long> progress, Task flooding, CancellationToken cancellationToken)
    {
        // A stall is a send that does not return: nothing signals it, so only a bounded quiet spell can show it.
        long last = -1;
        long stillSince = Stopwatch.GetTimestamp();
        bool StoodStill()
        {
            long now = progress();
            if (now != last)
            {
                last = now;
                stillSince = Stopwatch.GetTimestamp();
            }

            return flooding.IsCompleted || Stopwatch.GetElapsedTime(stillSince) >= StallQuiet;
        }

        return await Poll.UntilAsync(StoodStill, StallBound, cancellationToken) && !flooding.IsCompleted;
    }

    /// <summary>Another client round-trips twenty 4 KiB messages; returns the slowest round trip.</summary>
    private static async Task<TimeSpan> SlowestOfTwentyEchoesAsync(EchoServer server, CancellationToken cancellationToken)
    {
        using Socket other = await Loopback.ConnectAsync(server, cancellationToken);
        TimeSpan slowest = TimeSpan.Zero;
        for (int i = 0; i < 20; i++)
        {
            byte[] message = Loopback.RandomBytes(4096, seed: i);
            var watch = Stopwatch.StartNew();
            await Loopback.RoundTripAsync(other, message, cancellationToken);
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
        }

        return slowest;
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
