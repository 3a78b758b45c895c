using System.Diagnostics;
using System.Net.Sockets;
using EchoNet.Testing.Tests.BrokenServers;

namespace EchoNet.Load.Tests.BrokenServers;

/// <summary>
/// A TCP echo server that stops echoing for <see cref="Stall"/> once every <see cref="Period"/>, as a server with a
/// long garbage-collection pause would: whatever arrives during a stall is echoed when it ends. The stalls are on one
/// schedule for every client, counted from the server's start.
/// </summary>
internal sealed class StallingEchoServer : LoopbackTcpServer
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(250);

    // The first stall comes this long after the start, so a run that starts at once meets its first one after its warm-up.
    private static readonly TimeSpan FirstStall = TimeSpan.FromMilliseconds(500);

    private readonly long _started = Stopwatch.GetTimestamp();

    public StallingEchoServer() => Start();

    protected override async Task ServeAsync(Socket client, CancellationToken stop)
    {
        byte[] buffer = new byte[16_384];
        int count;
        while ((count = await client.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
        {
            TimeSpan left = StallLeft(Stopwatch.GetElapsedTime(_started));
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, stop);
            }

            await client.SendAsync(buffer.AsMemory(0, count), SocketFlags.None, stop);
        }
    }

    /// <summary>How much of a stall is still to come at <paramref name="elapsed"/> after the start: zero between stalls.</summary>
    private static TimeSpan StallLeft(TimeSpan elapsed)
    {
        if (elapsed < FirstStall)
        {
            return TimeSpan.Zero;
        }

        TimeSpan intoPeriod = TimeSpan.FromTicks((elapsed - FirstStall).Ticks % Period.Ticks);
        return intoPeriod < Stall ? Stall - intoPeriod : TimeSpan.Zero;
    }
}
