using System.Net.Sockets;
using EchoNet.Server.Connections;

namespace EchoNet.Server.Tcp;

/// <summary>
/// The course's select server (§2.1): one thread, non-blocking sockets and a readiness loop over
/// <see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>.
/// The read set is the listener, the wake-up socket and every client under its owed-echo cap; the write set is the
/// clients that are owed echo. Only this thread touches the sockets, including to close them.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The loop thread disposes every socket, the wake-up one included, when it exits.")]
internal sealed class SelectTcpServer(Socket listener, ServerContext context) : IEchoLoop
{
    /// <summary>The longest wait of a turn when there are timeouts, so the sweep runs on time with nothing to read.</summary>
    private static readonly int SweepWaitMicroseconds = (int)ConnectionSet.SweepInterval.TotalMicroseconds;

    private readonly ConnectionSet _connections = new(context);

    /// <summary>The clients by socket, for what <see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/> returns.</summary>
    private readonly Dictionary<Socket, SelectClient> _clients = [];

    private readonly List<Socket> _readable = [];
    private readonly List<Socket> _writable = [];
    private readonly List<SelectClient> _closed = [];
    private readonly List<TrackedConnection> _expired = [];
    private readonly SelectWakeup _wakeup = new();
    private Acceptor? _acceptor = new(listener, context);
    private volatile bool _stopRequested;
    private volatile bool _abortRequested;
    private volatile int _clientCount;

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = LoopThread.Start("EchoNet select", Run);

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
            listener.Blocking = false;
            while (Turn(buffer))
            {
            }
        }
        finally
        {
            _acceptor?.Close();
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
        if (_stopRequested && _acceptor is not null)
        {
            _acceptor.Close();
            _acceptor = null;
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

        if (_acceptor is null && _clients.Count == 0)
        {
            return false;
        }

        // Socket.Select keeps only the ready sockets in each list, so both are built anew every turn.
        _readable.Clear();
        _writable.Clear();
        _readable.Add(_wakeup.Socket);
        int timeoutMicroseconds = context.HasTimeouts ? SweepWaitMicroseconds : -1;
        if (_acceptor is not null)
        {
            TimeSpan paused = _acceptor.PauseLeft;
            if (paused > TimeSpan.Zero)
            {
                // Backing off after running out of descriptors: wait that long, at least a millisecond (never spin).
                timeoutMicroseconds = (int)Math.Max(1000, paused.TotalMicroseconds);
            }
            else
            {
                _readable.Add(_acceptor.Listener);
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
            else if (socket == _acceptor?.Listener)
            {
                AcceptOne(_acceptor);
            }
            else if (_clients[socket] is { IsClosed: false } client)
            {
                client.OnReadable(buffer);
                NoteIfClosed(client);
            }
        }

        CloseExpired();

        foreach (SelectClient client in _closed)
        {
            _clients.Remove(client.Socket);
        }

        _closed.Clear();
        _clientCount = _clients.Count;
        return true;
    }

    /// <summary>Lets the owner sweep the timeouts on this thread, which alone touches the sockets; drops the clients it closed.</summary>
    private void CloseExpired()
    {
        _connections.CloseExpiredIfDue(_expired);
        foreach (TrackedConnection connection in _expired)
        {
            SelectClient client = _clients[((SocketConnection)connection).Socket];
            client.Abort();
            _closed.Add(client);
        }

        _expired.Clear();
    }

    private void NoteIfClosed(SelectClient client)
    {
        if (client.IsClosed)
        {
            _closed.Add(client);
        }
    }

    /// <summary>Accepts one waiting client; the listener stays in the read set, so the next turn takes the next.</summary>
    private void AcceptOne(Acceptor acceptor)
    {
        if (acceptor.TryAccept() is not { } client)
        {
            return;
        }

        if (_connections.Admit(client) is not { } connection)
        {
            return;
        }

        try
        {
            client.Blocking = false;
            NoDelay.Set(client);

        }
        catch (SocketException e)
        {
            // Reset before we could set it up: an ordinary end.
            _connections.Release(connection, e);
            return;
        }

        _clients.Add(client, new SelectClient(connection, _connections, context));
    }
}
