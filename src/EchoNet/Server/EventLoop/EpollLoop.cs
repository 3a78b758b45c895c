using System.Runtime.InteropServices;
using EchoNet.Diagnostics;
using EchoNet.Interop;
using EchoNet.Server.Connections;
using EchoNet.Server.Tcp;

namespace EchoNet.Server.EventLoop;

/// <summary>
/// One event loop on the epoll backend: a dedicated thread that owns an epoll instance, accepts from the shared
/// listener, and echoes its connections inline. Edge-triggered: a message costs one <c>recv</c> and one <c>send</c>;
/// the rest of an echo the kernel will not take waits for <c>EPOLLOUT</c>, and the client is not read meanwhile.
/// The read buffer is the loop's, shared by its connections, so an idle connection holds none.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "What a loop owns is freed by its own thread when Run ends, not by a caller.")]
internal sealed unsafe class EpollLoop : IEventLoop
{
    private const ulong WakeToken = ulong.MaxValue;
    private const ulong ListenerToken = ulong.MaxValue - 1;
    private const int MaxEvents = 256;
    private const int AcceptsPerTurn = 64;

    /// <summary>How many reads a busy connection gets in one turn before the loop serves the others.</summary>
    private const int FairnessReads = 16;

    private readonly ServerContext _context;
    private readonly LoopConnections _connections;
    private readonly int _listener;
    private readonly int _readSize;
    private readonly List<LoopConnection> _pending = [];
    private readonly Action _onListenerLetGo;
    private readonly int _epoll;
    private readonly LoopWakeup _wakeup = new();
    private readonly AcceptPause _acceptPause;
    private bool _listening;
    private bool _listenerLetGo;
    private volatile bool _stopRequested;
    private volatile bool _abortRequested;

    public EpollLoop(int listener, ServerContext context, Action onListenerLetGo)
    {
        _listener = listener;
        _context = context;
        _acceptPause = new AcceptPause(context.Time);
        _connections = new LoopConnections(context);
        _readSize = context.Options.ReadSize;
        _onListenerLetGo = onListenerLetGo;
        _epoll = Check(Linux.EpollCreate(), "epoll_create1");
        Register(_wakeup.Fd, Linux.EpollIn, WakeToken);
        Register(_listener, Linux.EpollIn | Linux.EpollExclusive, ListenerToken);
        _listening = true;
    }

    public int ConnectionCount => _connections.Count;

    /// <summary>Gets a finished task: an epoll loop is set up by its constructor.</summary>
    public Task Ready => Task.CompletedTask;

    public void Run()
    {
        byte* buffer = (byte*)NativeMemory.Alloc((nuint)_readSize);
        EpollEvent* events = (EpollEvent*)NativeMemory.Alloc((nuint)(MaxEvents * sizeof(EpollEvent)));
        try
        {
            while (Turn(buffer, events))
            {
            }
        }
        finally
        {
            LetGoOfListener();
            _connections.ResetAll();
            _wakeup.Dispose();
            _ = Linux.Close(_epoll);
            NativeMemory.Free(events);
            NativeMemory.Free(buffer);
        }
    }

    public void BeginStop()
    {
        _stopRequested = true;
        _wakeup.Wake();
    }

    public void Abort()
    {
        _abortRequested = true;
        _wakeup.Wake();
    }

    private bool Turn(byte* buffer, EpollEvent* events)
    {
        if (_stopRequested)
        {
            LetGoOfListener();
        }

        if (_abortRequested || (_stopRequested && _connections.Count == 0))
        {
            return false;
        }

        ResumeAcceptingIfDue();
        int ready = Linux.EpollWait(_epoll, events, MaxEvents, WaitMilliseconds());
        if (ready < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == Linux.EINTR ? true : throw new IOException($"epoll_wait failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        for (int i = 0; i < ready; i++)
        {
            EpollEvent e = events[i];
            if (e.Data == WakeToken)
            {
                _wakeup.Consume();
            }
            else if (e.Data == ListenerToken)
            {
                AcceptSome();
            }
            else if (Find(e.Data) is { } connection)
            {
                OnEvents(connection, e.Events, buffer);
            }
        }

        ServePending(buffer);
        _connections.CloseExpiredIfDue();
        return true;
    }

    private int WaitMilliseconds()
    {
        if (_pending.Count > 0)
        {
            return 0;
        }

        int wait = _context.HasTimeouts ? (int)ConnectionSet.SweepInterval.TotalMilliseconds : -1;
        return _listening ? wait : _acceptPause.Shorten(wait);
    }

    private void OnEvents(LoopConnection connection, uint events, byte* buffer)
    {
        bool flushed = false;
        if (connection.OwedCount > 0)
        {
            if ((events & (Linux.EpollOut | Linux.EpollError | Linux.EpollHangUp)) == 0 || !_connections.Flush(connection))
            {
                return;
            }

            flushed = true;
        }

        // With nothing owed, read: the edge that woke us may be for data, the end of the stream, or an error that the
        // receive reports. After a flush, read too: data that came while the client was not read raised no new edge.
        // A short read empties the queue, so it ends the reading, unless the peer has also shut its side: its FIN came
        // in the same edge, and only another read reports it.
        bool peerDone = (events & (Linux.EpollReadHangUp | Linux.EpollHangUp | Linux.EpollError)) != 0;
        Read(connection, buffer, untilWouldBlock: flushed || peerDone);
    }

    /// <summary>Reads and echoes until the kernel's queue is empty, an echo is owed, the connection ends, or the turn's share is used.</summary>
    private void Read(LoopConnection connection, byte* buffer, bool untilWouldBlock)
    {
        connection.ReadPending = false;
        for (int reads = 0; reads < FairnessReads; reads++)
        {
            long received = Linux.Receive(connection.Fd, buffer, _readSize);
            if (received < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Linux.EAGAIN)
                {
                    return;
                }

                if (errno != Linux.EINTR)
                {
                    _connections.Forget(connection, Linux.ToSocketError(errno));
                    return;
                }

                continue;
            }

            if (received == 0)
            {
                connection.ReceivedEnd = true;
                _connections.Finish(connection);
                return;
            }

            connection.MarkReceived();
            if (!_connections.Echo(connection, buffer, (int)received) || (received < _readSize && !untilWouldBlock))
            {
                // Owed, failed, or a short read: a short read emptied the queue, and new data raises a new edge.
                return;
            }
        }

        connection.ReadPending = true;
        _pending.Add(connection);
    }

    private void ServePending(byte* buffer)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        LoopConnection[] pending = [.. _pending];
        _pending.Clear();
        foreach (LoopConnection connection in pending)
        {
            if (connection.ReadPending && connection.Fd >= 0)
            {
                Read(connection, buffer, untilWouldBlock: true);
            }
        }
    }

    private void AcceptSome()
    {
        SocketAddressBuffer address;
        for (int i = 0; i < AcceptsPerTurn && _listening; i++)
        {
            int fd = Linux.Accept(_listener, &address);
            if (fd < 0)
            {
                OnAcceptFailed(Marshal.GetLastPInvokeError());
                return;
            }

            _acceptPause.Accepted();
            Admit(fd, address.ToEndPoint());
        }
    }

    private void Admit(int fd, System.Net.IPEndPoint? peer)
    {
        if (_connections.Admit(fd, peer) is not { } connection)
        {
            return;
        }

        var e = new EpollEvent
        {
            Events = Linux.EpollIn | Linux.EpollOut | Linux.EpollReadHangUp | Linux.EpollEdgeTriggered,
            Data = ((ulong)connection.Generation << 32) | (uint)connection.Slot,
        };
        if (Linux.EpollControl(_epoll, Linux.EpollAdd, fd, &e) < 0)
        {
            _connections.Forget(connection, Linux.ToSocketError(Marshal.GetLastPInvokeError()));
        }
    }

    private void OnAcceptFailed(int errno)
    {
        switch (AcceptErrors.Classify(errno))
        {
            case AcceptFailure.RetryNow:
                // The next client raises the next event.
                return;
            case AcceptFailure.BackOff:
                // Stop waiting on the listener for a while instead of spinning on it.
                TimeSpan delay = _acceptPause.Begin();
                Log.AcceptFailed(_context.Logger, Linux.ToSocketError(errno), (int)delay.TotalMilliseconds);
                _ = Linux.EpollControl(_epoll, Linux.EpollDelete, _listener, null);
                _listening = false;
                return;
            default:
                throw new IOException($"accept4 failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }
    }

    private void ResumeAcceptingIfDue()
    {
        if (_listening || _stopRequested || !_acceptPause.EndIfOver())
        {
            return;
        }

        Register(_listener, Linux.EpollIn | Linux.EpollExclusive, ListenerToken);
        _listening = true;
    }

    private LoopConnection? Find(ulong data) => _connections.Find((int)(uint)data, (uint)(data >> 32));

    /// <summary>
    /// Takes the listener out of this loop's epoll (only this thread waits on it, so only it may) and says so, once:
    /// the server closes the listener when every loop has let go of it.
    /// </summary>
    private void LetGoOfListener()
    {
        if (_listenerLetGo)
        {
            return;
        }

        if (_listening)
        {
            _ = Linux.EpollControl(_epoll, Linux.EpollDelete, _listener, null);
            _listening = false;
        }

        _listenerLetGo = true;
        _onListenerLetGo();
    }

    private void Register(int fd, uint events, ulong token)
    {
        var e = new EpollEvent { Events = events, Data = token };
        _ = Check(Linux.EpollControl(_epoll, Linux.EpollAdd, fd, &e), "epoll_ctl");
    }

    private static int Check(int result, string call)
    {
        if (result < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        return result;
    }
}
