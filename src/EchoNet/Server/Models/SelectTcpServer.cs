using System.Diagnostics;
using System.Net.Sockets;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Models;

/// <summary>
/// The course's select server (§2.1): one thread, non-blocking sockets and a readiness loop over
/// <see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>.
/// The read set is the listener, the wake-up socket and every client under its owed-echo cap; the write set is the
/// clients that are owed echo. Only this thread touches the sockets, including to close them.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The loop thread disposes every socket, the wake-up one included, when it exits.")]
internal sealed class SelectTcpServer(Socket listener, ServerContext context) : IEchoLoop
{
    private readonly Dictionary<Socket, SelectClient> _clients = [];
    /// <summary>How often the timeouts are checked, when there are any: they close within a second of expiring.</summary>
    private const int TimeoutCheckMicroseconds = 1_000_000;

    private readonly List<Socket> _readable = [];
    private readonly List<Socket> _writable = [];
    private readonly List<SelectClient> _closed = [];
    private readonly SelectWakeup _wakeup = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? _listener = listener;
    private long _acceptPausedUntil;
    private long _nextTimeoutCheck = long.MinValue;
    private int _backoffMs;
    private volatile bool _stopRequested;
    private volatile bool _abortRequested;
    private volatile int _clientCount;

    public Task Completion => _completion.Task;

    public void Start() => new Thread(Run) { IsBackground = true, Name = "EchoNet select" }.Start();

    public void BeginStop()
    {
        _stopRequested = true;
        _wakeup.Wake();
    }

    public int Abort()
    {
        _abortRequested = true;
        _wakeup.Wake();
        return _clientCount;
    }

    private void Run()
    {
        try
        {
            byte[] buffer = new byte[context.Options.ReadSize];
            _listener!.Blocking = false;
            while (Turn(buffer))
            {
            }

            _completion.TrySetResult();
        }
#pragma warning disable CA1031 // The failure is the loop's result: it faults the server's Completion.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _completion.TrySetException(e);
        }
        finally
        {
            _listener?.Dispose();
            foreach (SelectClient client in _clients.Values)
            {
                client.Abort();
            }

            _wakeup.Dispose();
        }
    }

    /// <summary>One pass of the loop; false when the loop is done.</summary>
    private bool Turn(byte[] buffer)
    {
        if (_stopRequested && _listener is not null)
        {
            _listener.Dispose();
            _listener = null;
        }

        if (_abortRequested)
        {
            foreach (SelectClient client in _clients.Values)
            {
                client.Abort();
            }

            _clients.Clear();
            return false;
        }

        if (_listener is null && _clients.Count == 0)
        {
            return false;
        }

        // Socket.Select keeps only the ready sockets in each list, so both are built anew every turn.
        _readable.Clear();
        _writable.Clear();
        _readable.Add(_wakeup.Socket);
        int timeoutMicroseconds = context.HasTimeouts ? TimeoutCheckMicroseconds : -1;
        if (_listener is not null)
        {
            long pausedFor = _acceptPausedUntil - Stopwatch.GetTimestamp();
            if (pausedFor > 0)
            {
                timeoutMicroseconds = (int)Math.Max(1000, Stopwatch.GetElapsedTime(0, pausedFor).TotalMicroseconds);
            }
            else
            {
                _readable.Add(_listener);
            }
        }

        foreach (SelectClient client in _clients.Values)
        {
            if (client.WantsRead)
            {
                _readable.Add(client.Socket);
            }

            if (client.WantsWrite)
            {
                _writable.Add(client.Socket);
            }
        }

        Socket.Select(_readable, _writable.Count > 0 ? _writable : null, null, timeoutMicroseconds);

        // Writes first: sending owed echo makes room under the cap before this turn's reads.
        foreach (Socket socket in _writable)
        {
            SelectClient client = _clients[socket];
            client.OnWritable();
            NoteIfClosed(client);
        }

        foreach (Socket socket in _readable)
        {
            if (socket == _wakeup.Socket)
            {
                _wakeup.Drain();
            }
            else if (socket == _listener)
            {
                AcceptOne();
            }
            else if (_clients[socket] is { IsClosed: false } client)
            {
                client.OnReadable(buffer);
                NoteIfClosed(client);
            }
        }

        if (context.HasTimeouts)
        {
            CloseExpired();
        }

        foreach (SelectClient client in _closed)
        {
            _clients.Remove(client.Socket);
        }

        _closed.Clear();
        _clientCount = _clients.Count;
        return true;
    }

    /// <summary>Resets, once a second at most, the clients that broke the idle or send-stall timeout.</summary>
    private void CloseExpired()
    {
        long now = context.Time.GetTimestamp();
        if (now < _nextTimeoutCheck)
        {
            return;
        }

        _nextTimeoutCheck = now + (TimeoutCheckMicroseconds * context.Time.TimestampFrequency / 1_000_000);
        foreach (SelectClient client in _clients.Values)
        {
            CloseReason reason = client.IsClosed ? CloseReason.Ordinary : context.CheckTimeouts(client.Connection);
            if (reason != CloseReason.Ordinary)
            {
                client.Connection.Expire(reason, context.Counters);
                client.Abort();
                _closed.Add(client);
            }
        }
    }

    private void NoteIfClosed(SelectClient client)
    {
        if (client.IsClosed)
        {
            _closed.Add(client);
        }
    }

    /// <summary>Accepts one waiting client; the listener stays in the read set, so the next turn takes the next.</summary>
    private void AcceptOne()
    {
        Socket client;
        try
        {
            client = _listener!.Accept();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return;
        }
        catch (SocketException e) when (Acceptor.Classify(e.SocketErrorCode) != AcceptFailure.Fatal)
        {
            if (Acceptor.Classify(e.SocketErrorCode) == AcceptFailure.BackOff)
            {
                _backoffMs = Acceptor.NextBackoffMs(_backoffMs);
                _acceptPausedUntil = Stopwatch.GetTimestamp() + (_backoffMs * Stopwatch.Frequency / 1000);
                Log.AcceptFailed(context.Logger, e.SocketErrorCode, _backoffMs);
            }

            return;
        }

        _backoffMs = 0;
        if (context.Admit(client) is not { } connection)
        {
            return;
        }

        try
        {
            client.Blocking = false;
            client.NoDelay = true;
        }
        catch (SocketException e)
        {
            // Reset before we could set it up: an ordinary end.
            Log.ConnectionEnded(context.Logger, connection.Peer, e);
            client.Dispose();
            context.Closed(connection);
            return;
        }

        _clients.Add(client, new SelectClient(connection, context));
    }
}
