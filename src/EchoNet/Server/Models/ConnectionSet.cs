using System.Net.Sockets;

namespace EchoNet.Server.Models;

/// <summary>
/// The open connections of a loop, so a stop can wait for them to end and close the stragglers, and the idle and
/// send-stall timeouts can find the connections that broke them.
/// </summary>
internal sealed class ConnectionSet(ServerContext context)
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly HashSet<TrackedConnection> _connections = [];
    private TaskCompletionSource? _empty;
    private bool _aborted;

    /// <summary>
    /// Admits a freshly accepted socket against the server's limits and adds it; null when it was refused, or the set
    /// is aborted (the socket is then reset and counted out).
    /// </summary>
    public TrackedConnection? Admit(Socket socket)
    {
        if (context.Admit(socket) is not { } connection)
        {
            return null;
        }

        lock (_connections)
        {
            if (!_aborted && _connections.Add(connection))
            {
                return connection;
            }
        }

        socket.Close(0);
        context.Closed(connection);
        return null;
    }

    /// <summary>Removes a connection that has ended.</summary>
    public void Remove(TrackedConnection connection)
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

    /// <summary>Resets every connection and refuses new ones; their owners see the failure and remove them.</summary>
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
            connection.Socket.Close(0);
        }

        return connections.Length;
    }

    /// <summary>
    /// Starts the timer that, once a second, resets the connections that broke the idle or send-stall timeout;
    /// null when the server has neither. Dispose it once the set is empty.
    /// </summary>
    /// <remarks>
    /// One clock for every model that serves from this set. A blocking socket's own send timeout cannot stand in
    /// for it: the runtime's blocking send goes on after every partial write with a fresh kernel timeout, so any
    /// progress within each timeout (a client reading a trickle, or a kernel queueing a little more for a client that
    /// reads nothing) would keep a stalled echo alive for ever.
    /// </remarks>
    public ITimer? StartSweeping() => context.HasTimeouts ? context.Time.CreateTimer(_ => CloseExpired(), null, SweepInterval, SweepInterval) : null;

    /// <summary>Resets the connections that broke the idle or send-stall timeout; their owners remove them.</summary>
    private void CloseExpired()
    {
        List<(TrackedConnection, Diagnostics.CloseReason)>? expired = null;
        lock (_connections)
        {
            foreach (TrackedConnection connection in _connections)
            {
                Diagnostics.CloseReason reason = context.CheckTimeouts(connection);
                if (reason != Diagnostics.CloseReason.Ordinary)
                {
                    (expired ??= []).Add((connection, reason));
                }
            }
        }

        foreach ((TrackedConnection connection, Diagnostics.CloseReason reason) in expired ?? [])
        {
            connection.Expire(reason, context.Counters);
        }
    }
}
