using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;

namespace EchoNet.Server.Connections;

/// <summary>
/// The owner of a loop's connections, from admission to release: every model admits through it, hands each connection
/// back to it once its echo has ended, and lets it sweep the idle and send-stall timeouts and abort what is left at a
/// stop's deadline. A model only accepts and echoes.
/// </summary>
internal sealed class ConnectionSet(ServerContext context)
{
    /// <summary>How often the timeouts are checked: a connection closes within this time of breaking one.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly HashSet<TrackedConnection> _connections = [];
    private TaskCompletionSource? _empty;
    private long _nextSweep = long.MinValue;
    private bool _aborted;

    /// <summary>
    /// Admits a freshly accepted socket against the server's limits and adds it; null when it was refused, or the set
    /// is aborted (the socket is then reset and counted out).
    /// </summary>
    public SocketConnection? Admit(Socket socket)
    {
        IPEndPoint? peer;
        try
        {
            // A Unix socket's client has no address to admit or log by (and is usually unnamed).
            peer = socket.RemoteEndPoint as IPEndPoint;
        }
        catch (SocketException e)
        {
            // The client left between its handshake and now: an ordinary end.
            Log.ConnectionEnded(context.Logger, null, e.SocketErrorCode);
            socket.Dispose();
            return null;
        }

        if (!context.TryAdmit(peer, out IPAddress? source))
        {
            socket.Close(0);
            return null;
        }

        var connection = new SocketConnection(socket, peer, source, context.Time);
        return Track(connection) ? connection : null;
    }

    /// <summary>
    /// Adds a connection that <see cref="ServerContext.TryAdmit"/> admitted; false (it is then reset and released)
    /// when the set is aborted.
    /// </summary>
    public bool Track(TrackedConnection connection)
    {
        lock (_connections)
        {
            if (!_aborted && _connections.Add(connection))
            {
                return true;
            }
        }

        connection.Reset();
        Release(connection);
        return false;
    }

    /// <summary>
    /// Hands back a connection whose echo has ended, cleanly (<paramref name="failure"/> null) or not. Always in this
    /// order: the socket is disposed; the connection is counted out (limits, statistics, metric) and its end logged;
    /// then it leaves the set, so a stop that waits for an empty set sees the counts already final. Only the first
    /// call for a connection does anything.
    /// </summary>
    public void Release(TrackedConnection connection, Exception? failure = null)
    {
        if (!connection.TryRelease())
        {
            return;
        }

        connection.Close();
        context.Closed(connection, failure);
        Remove(connection);
    }

    /// <summary>
    /// Hands back a connection whose echo a socket error ended, as <see cref="Release(TrackedConnection, Exception?)"/>
    /// does, with no exception made to carry the error: a peer's reset costs no allocation to report.
    /// </summary>
    public void Release(TrackedConnection connection, SocketError error)
    {
        if (!connection.TryRelease())
        {
            return;
        }

        connection.Close();
        context.Closed(connection, error);
        Remove(connection);
    }

    /// <summary>Returns a task that ends when no connection is left in the set.</summary>
    public Task WhenEmptyAsync()
    {
        lock (_connections)
        {
            return _connections.Count == 0
                ? Task.CompletedTask
                : (_empty ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private void Remove(TrackedConnection connection)
    {
        TaskCompletionSource? empty = null;
        lock (_connections)
        {
            if (_connections.Remove(connection) && _connections.Count == 0)
            {
                empty = _empty;
                _empty = null;
            }
        }

        empty?.TrySetResult();
    }

    /// <summary>Resets every connection and refuses new ones; whoever serves each sees the failure and releases it.</summary>
    public int AbortAll()
    {
        TrackedConnection[] connections;
        lock (_connections)
        {
            _aborted = true;
            connections = [.. _connections];
        }

        foreach (TrackedConnection connection in connections)
        {
            connection.Reset();
        }

        return connections.Length;
    }

    /// <summary>
    /// Starts the timer that sweeps the timeouts once a second, for the models whose connections are served on other
    /// threads; null when the server has no timeout. Dispose it once the set is empty.
    /// </summary>
    /// <remarks>
    /// One clock for every model. A blocking socket's own send timeout cannot stand in for it: the runtime's blocking
    /// send goes on after every partial write with a fresh kernel timeout, so any progress within each timeout (a
    /// client reading a trickle, or a kernel queueing a little more for a client that reads nothing) would keep a
    /// stalled echo alive for ever.
    /// </remarks>
    public ITimer? StartSweeping() =>
        context.HasTimeouts ? context.Time.CreateTimer(_ => CloseExpired(null), null, SweepInterval, SweepInterval) : null;

    /// <summary>
    /// Sweeps the timeouts if a second has passed since the last sweep: for a loop that serves its connections itself
    /// and must close them on its own thread. The connections closed are added to <paramref name="expired"/>.
    /// </summary>
    public void CloseExpiredIfDue(List<TrackedConnection> expired)
    {
        long now = context.Time.GetTimestamp();
        if (!context.HasTimeouts || now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + (long)(SweepInterval.TotalSeconds * context.Time.TimestampFrequency);
        CloseExpired(expired);
    }

    /// <summary>
    /// Counts and resets the connections that broke the idle or send-stall timeout; whoever serves each sees the reset
    /// and releases it. The connections closed are added to <paramref name="expired"/>, if given.
    /// </summary>
    private void CloseExpired(List<TrackedConnection>? expired)
    {
        List<(TrackedConnection Connection, CloseReason Reason)>? found = null;
        lock (_connections)
        {
            foreach (TrackedConnection connection in _connections)
            {
                CloseReason reason = context.CheckTimeouts(connection);
                if (reason != CloseReason.Ordinary)
                {
                    (found ??= []).Add((connection, reason));
                }
            }
        }

        foreach ((TrackedConnection connection, CloseReason reason) in found ?? [])
        {
            connection.Expire(reason, context.Counters);
            expired?.Add(connection);
        }
    }
}
