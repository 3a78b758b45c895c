using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace EchoNet.Load.Epoll;

/// <summary>
/// Drives every TCP connection of a bench run from one thread with level-triggered epoll and non-blocking socket
/// calls, as the C reference load generator does: a few system calls and no task machinery per message, so the bench
/// costs about what the reference costs and is not the limit of what it measures. In rate mode the loop also keeps
/// the schedule: it sleeps until the next message is due (to the nanosecond with <c>epoll_pwait2</c>) and hands each
/// due message to its connection.
/// </summary>
internal sealed unsafe class EpollTcpLoop
{
    private const int MaxEvents = 256;

    // How often, at the least, the loop looks for connections the watchdog wants dropped.
    private const int TurnMilliseconds = 10;
    private static readonly long TurnTicks = Stopwatch.Frequency * TurnMilliseconds / 1000;
    private readonly EpollEventLayout _layout;
    private readonly BenchSettings _settings;
    private readonly EpollTcpConnection[] _connections;
    private bool _precise = true;
    private int _started;

    /// <exception cref="PlatformNotSupportedException">The platform's <c>struct epoll_event</c> is not declared (see <see cref="EpollEventLayout"/>).</exception>
    public EpollTcpLoop(IReadOnlyList<Socket> sockets, BenchSettings settings, Func<BenchCounters> counters)
    {
        _layout = EpollEventLayout.Require();
        _settings = settings;
        _connections = new EpollTcpConnection[sockets.Count];
        for (int i = 0; i < sockets.Count; i++)
        {
            sockets[i].Blocking = false;
            _connections[i] = new EpollTcpConnection(this, sockets[i], settings, i, sockets.Count, counters());
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
        var watchingWrites = new bool[_connections.Length];
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
            else if (connection.Begin(now, clock))
            {
                open++;
            }
            else
            {
                Remove(epoll, connection, i);
            }
        }

        // The run's schedule in rate mode: message g of all connections is due at Started + g / rate, on connection g mod n.
        bool rate = _settings.Mode == BenchMode.Rate;
        if (rate)
        {
            // The schedule is kept to the microsecond; without this, each wake-up may come up to 50 µs late.
            _ = EpollInterop.SetPreciseTimers();
        }

        double ticksPerMessage = rate ? Stopwatch.Frequency / _settings.Rate : 0;
        long nextMessage = 0;
        byte* events = stackalloc byte[MaxEvents * _layout.Size];
        long nextSweep = 0;
        while (open > 0)
        {
            long wakeAt = now + TurnTicks;
            long nextDue = clock.Started + (long)(nextMessage * ticksPerMessage);
            if (rate && nextDue < clock.MeasureUntil)
            {
                wakeAt = Math.Min(wakeAt, nextDue);
            }

            int ready = Wait(epoll, events, wakeAt - now);
            now = Stopwatch.GetTimestamp();
            for (int e = 0; e < ready; e++)
            {
                int index = (int)_layout.DataAt(events, e);
                EpollTcpConnection connection = _connections[index];
                if (!connection.IsClosed)
                {
                    open -= After(connection.OnReady(_layout.MaskAt(events, e), now, clock), epoll, index, watchingWrites);
                }
            }

            if (rate)
            {
                // Every message due by now goes to its connection; after a long stall of this thread, each connection once is enough.
                long last = Math.Min(now, clock.MeasureUntil - 1) - clock.Started;
                long dueUpTo = last < 0 ? 0 : (long)(last / ticksPerMessage) + 1;
                for (long g = nextMessage, end = Math.Min(dueUpTo, nextMessage + _connections.Length); g < end; g++)
                {
                    int index = (int)(g % _connections.Length);
                    EpollTcpConnection connection = _connections[index];
                    if (!connection.IsClosed)
                    {
                        open -= After(connection.SendDue(now, clock), epoll, index, watchingWrites);
                    }
                }

                nextMessage = Math.Max(nextMessage, dueUpTo);
            }

            if (now >= nextSweep)
            {
                open -= DropFinishedAndAborted(epoll, now, clock);
                nextSweep = now + TurnTicks;
            }
        }
    }

    /// <summary>After a connection's turn: removes it when it is done (returns 1), or watches for writability while a send is only partly done.</summary>
    private int After(bool goesOn, int epoll, int index, bool[] watchingWrites)
    {
        EpollTcpConnection connection = _connections[index];
        if (!goesOn)
        {
            Remove(epoll, connection, index);
            return 1;
        }

        if (connection.WantsToWrite != watchingWrites[index])
        {
            watchingWrites[index] = connection.WantsToWrite;
            Watch(epoll, EpollInterop.Modify, connection, index, EpollInterop.In | (connection.WantsToWrite ? EpollInterop.Out : 0));
        }

        return 0;
    }

    /// <summary>Waits up to <paramref name="ticks"/> for readiness: to the nanosecond where the kernel has <c>epoll_pwait2</c>, else in whole milliseconds, rounded down.</summary>
    private int Wait(int epoll, byte* events, long ticks)
    {
        long nanoseconds = BenchClock.ToNanoseconds(Math.Max(0, ticks));
        if (_settings.Mode == BenchMode.Rate && _precise)
        {
            Timespec timeout = Timespec.FromNanoseconds(nanoseconds);
            try
            {
                int ready = EpollInterop.WaitPrecisely(epoll, events, MaxEvents, &timeout, 0);
                if (ready >= 0 || Marshal.GetLastPInvokeError() != EpollInterop.NoSuchCall)
                {
                    return ready;
                }
            }
            catch (EntryPointNotFoundException)
            {
                // A C library older than glibc 2.35 has no epoll_pwait2.
            }

            _precise = false;
        }

        return EpollInterop.Wait(epoll, events, MaxEvents, (int)(nanoseconds / 1_000_000));
    }

    /// <summary>Closes the connections that are done but saw no event to say so, and those the watchdog asked to drop; returns how many.</summary>
    private int DropFinishedAndAborted(int epoll, long now, BenchClock clock)
    {
        int dropped = 0;
        bool measuredTimeOver = now >= clock.MeasureUntil;
        for (int i = 0; i < _connections.Length; i++)
        {
            EpollTcpConnection connection = _connections[i];
            if (connection.IsClosed)
            {
                continue;
            }

            if (connection.RequestedEnd is BenchEnd end)
            {
                connection.End(end);
            }
            else if (!measuredTimeOver || !connection.IsFinished(now, clock))
            {
                continue;
            }

            Remove(epoll, connection, i);
            dropped++;
        }

        return dropped;
    }

    private bool Watch(int epoll, int operation, EpollTcpConnection connection, int index, uint events)
    {
        byte* interest = stackalloc byte[_layout.Size];
        _layout.Write(interest, 0, events, (ulong)index);
        return EpollInterop.Control(epoll, operation, (int)connection.Socket.SafeHandle.DangerousGetHandle(), interest) == 0;
    }

    private void Remove(int epoll, EpollTcpConnection connection, int index)
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
