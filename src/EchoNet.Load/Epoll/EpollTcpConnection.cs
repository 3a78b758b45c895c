using System.Net.Sockets;

namespace EchoNet.Load.Epoll;

/// <summary>
/// One TCP connection of a bench run driven by <see cref="EpollTcpLoop"/>: non-blocking sends and receives straight
/// from the loop's thread, the <see cref="TcpMessageFlow"/> deciding what to send and verifying the echo.
/// </summary>
internal sealed class EpollTcpConnection : IBenchClient
{
    private const int Running = 0;
    private readonly EpollTcpLoop _loop;
    private readonly TcpMessageFlow _flow;
    private readonly byte[] _receiveBuffer;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReadOnlyMemory<byte> _unsent;
    private int _abort = Running;

    public EpollTcpConnection(EpollTcpLoop loop, Socket socket, BenchSettings settings, int index, int connections, BenchCounters counters)
    {
        _loop = loop;
        Socket = socket;
        _flow = new TcpMessageFlow(settings, index, connections, counters);
        _receiveBuffer = new byte[_flow.ReceiveBufferSize];
    }

    public Socket Socket { get; }

    public BenchCounters Counters => _flow.Counters;

    public long LastProgress => _flow.LastProgress;

    public bool IsClosed => _finished.Task.IsCompleted;

    /// <summary>Gets a value indicating whether a send is only partly done, so the loop must wait for the socket to be writable.</summary>
    public bool WantsToWrite => !_unsent.IsEmpty;

    public Task RunAsync(BenchClock clock)
    {
        _loop.Start(clock);
        return _finished.Task;
    }

    /// <summary>Asks the loop to drop the connection; it does so on its own thread within one turn.</summary>
    public void Abort(bool timedOut) =>
        Interlocked.CompareExchange(ref _abort, 1 + (int)(timedOut ? BenchEnd.TimedOut : BenchEnd.Abandoned), Running);

    /// <summary>On the loop's thread: the end the watchdog asked for, if any.</summary>
    public BenchEnd? RequestedEnd => Volatile.Read(ref _abort) is var end and not Running ? (BenchEnd)(end - 1) : null;

    /// <summary>On the loop's thread, once: the first batch.</summary>
    public bool Begin(long now, BenchClock clock)
    {
        _flow.Begin(now, clock);
        return SendMore(now, clock);
    }

    /// <summary>On the loop's thread, in rate mode: sends what is due; false when the connection is done.</summary>
    public bool SendDue(long now, BenchClock clock) => !_unsent.IsEmpty || (_flow.IsDoneSending(now, clock) ? _flow.HasInFlight : SendMore(now, clock));

    /// <summary>On the loop's thread: whether everything is sent and echoed, and nothing more will be.</summary>
    public bool IsFinished(long now, BenchClock clock) => _unsent.IsEmpty && !_flow.HasInFlight && _flow.IsDoneSending(now, clock);

    /// <summary>On the loop's thread: reacts to readiness; false when the connection is done (finished or failed).</summary>
    public bool OnReady(uint events, long now, BenchClock clock)
    {
        if ((events & (EpollInterop.In | EpollInterop.HangUp | EpollInterop.Error)) != 0)
        {
            int count = Socket.Receive(_receiveBuffer, SocketFlags.None, out SocketError error);
            if (error == SocketError.Success)
            {
                if (!_flow.OnReceived(_receiveBuffer.AsSpan(0, count), now, clock))
                {
                    return false;
                }
            }
            else if (error != SocketError.WouldBlock)
            {
                _flow.CountEnd(BenchEnd.Failed, error);
                return false;
            }
        }

        if (!_unsent.IsEmpty)
        {
            if (!TrySend())
            {
                return false;
            }

            if (!_unsent.IsEmpty)
            {
                // The rest waits for the socket to be writable.
                return true;
            }
        }

        if (!_flow.IsDoneSending(now, clock))
        {
            // Closed loop: what the window has room for; rate mode: what is due.
            return SendMore(now, clock);
        }

        // Nothing more to send: done once every echo is back.
        return _flow.HasInFlight;
    }

    /// <summary>On the loop's thread: the connection ends early.</summary>
    public void End(BenchEnd end) => _flow.CountEnd(end);

    /// <summary>On the loop's thread, once: closes the socket and completes <see cref="RunAsync"/>.</summary>
    public void Close()
    {
        Socket.Dispose();
        _finished.TrySetResult();
    }

    private bool SendMore(long now, BenchClock clock)
    {
        _unsent = _flow.TakeBatch(now, clock);
        return _unsent.IsEmpty || TrySend();
    }

    private bool TrySend()
    {
        int sent = Socket.Send(_unsent.Span, SocketFlags.None, out SocketError error);
        if (error == SocketError.Success)
        {
            _unsent = _unsent[sent..];
            return true;
        }

        if (error == SocketError.WouldBlock)
        {
            return true;
        }

        _flow.CountEnd(BenchEnd.Failed, error);
        return false;
    }
}
