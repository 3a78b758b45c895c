using System.Diagnostics;
using System.Net.Sockets;

namespace EchoNet.Cli.Bench.Epoll;

/// <summary>
/// Drives every TCP connection of a bench run from one thread with level-triggered epoll and non-blocking socket
/// calls, as the C reference load generator does: a few system calls and no task machinery per message, so the bench
/// costs about what the reference costs and is not the limit of what it measures.
/// </summary>
internal sealed unsafe class EpollTcpLoop
{
    private const int MaxEvents = 256;

    // How often, at the least, the loop looks for connections the watchdog wants dropped.
    private const int TurnMilliseconds = 10;
    private readonly EpollTcpConnection[] _connections;
    private int _started;

    public EpollTcpLoop(IReadOnlyList<Socket> sockets, BenchSettings settings)
    {
        // One thread writes every latency, so one histogram serves every connection.
        var latency = new LatencyHistogram();
        _connections = new EpollTcpConnection[sockets.Count];
        for (int i = 0; i < sockets.Count; i++)
        {
            sockets[i].Blocking = false;
            _connections[i] = new EpollTcpConnection(this, sockets[i], settings, i, latency);
        }
    }

    public IReadOnlyList<IBenchClient> Connections => _connections;

    /// <summary>Starts the loop's thread on the first call; the connections complete as they finish.</summary>
    public void Start(BenchClock clock)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            var thread = new Thread(() => Run(clock)) { IsBackground = true, Name = "echonet bench epoll" };
            thread.Start();
        }
    }

    private void Run(BenchClock clock)
    {
        int epoll = EpollInterop.Create();
        try
        {
            if (epoll < 0)
            {
                EndAll(BenchEnd.Failed);
                return;
            }

            Loop(epoll, clock);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            EndAll(BenchEnd.Failed);
        }
        finally
        {
            if (epoll >= 0)
            {
                _ = EpollInterop.Close(epoll);
            }
        }
    }

    private void Loop(int epoll, BenchClock clock)
    {
        bool[] watchingWrites = new bool[_connections.Length];
        int open = 0;
        long now = Stopwatch.GetTimestamp();
        for (int i = 0; i < _connections.Length; i++)
        {
            EpollTcpConnection connection = _connections[i];
            if (!Watch(epoll, EpollInterop.Add, connection, i, EpollInterop.In))
            {
                connection.End(BenchEnd.Failed);
                connection.Close();
            }
            else if (connection.Begin(now))
            {
                open++;
            }
            else
            {
                Remove(epoll, connection, i);
            }
        }

        EpollEvent* events = stackalloc EpollEvent[MaxEvents];
        long nextSweep = 0;
        while (open > 0)
        {
            int ready = EpollInterop.Wait(epoll, events, MaxEvents, TurnMilliseconds);
            now = Stopwatch.GetTimestamp();
            for (int e = 0; e < ready; e++)
            {
                int index = (int)events[e].Data;
                EpollTcpConnection connection = _connections[index];
                if (connection.IsClosed)
                {
                    continue;
                }

                if (!connection.OnReady(events[e].Events, now, clock))
                {
                    Remove(epoll, connection, index);
                    open--;
                }
                else if (connection.WantsToWrite != watchingWrites[index])
                {
                    watchingWrites[index] = connection.WantsToWrite;
                    Watch(epoll, EpollInterop.Modify, connection, index, EpollInterop.In | (connection.WantsToWrite ? EpollInterop.Out : 0));
                }
            }

            if (now >= nextSweep)
            {
                open -= DropAborted(epoll);
                nextSweep = now + (Stopwatch.Frequency * TurnMilliseconds / 1000);
            }
        }
    }

    /// <summary>Closes the connections the watchdog asked to drop; returns how many.</summary>
    private int DropAborted(int epoll)
    {
        int dropped = 0;
        for (int i = 0; i < _connections.Length; i++)
        {
            EpollTcpConnection connection = _connections[i];
            if (!connection.IsClosed && connection.RequestedEnd is BenchEnd end)
            {
                connection.End(end);
                Remove(epoll, connection, i);
                dropped++;
            }
        }

        return dropped;
    }

    private static bool Watch(int epoll, int operation, EpollTcpConnection connection, int index, uint events)
    {
        var interest = new EpollEvent { Events = events, Data = (ulong)index };
        return EpollInterop.Control(epoll, operation, (int)connection.Socket.SafeHandle.DangerousGetHandle(), &interest) == 0;
    }

    private static void Remove(int epoll, EpollTcpConnection connection, int index)
    {
        Watch(epoll, EpollInterop.Delete, connection, index, 0);
        connection.Close();
    }

    private void EndAll(BenchEnd end)
    {
        foreach (EpollTcpConnection connection in _connections)
        {
            if (!connection.IsClosed)
            {
                connection.End(end);
                connection.Close();
            }
        }
    }
}
