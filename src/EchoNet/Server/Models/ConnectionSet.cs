using System.Net.Sockets;

namespace EchoNet.Server.Models;

/// <summary>The open client sockets of a loop, so a stop can wait for them to end and close the stragglers.</summary>
internal sealed class ConnectionSet
{
    private readonly HashSet<Socket> _sockets = [];
    private TaskCompletionSource? _empty;
    private bool _aborted;

    /// <summary>Adds a newly accepted socket; returns false (and the caller closes it) once the set is aborted.</summary>
    public bool TryAdd(Socket socket)
    {
        lock (_sockets)
        {
            return !_aborted && _sockets.Add(socket);
        }
    }

    /// <summary>Removes a socket whose connection has ended.</summary>
    public void Remove(Socket socket)
    {
        TaskCompletionSource? empty = null;
        lock (_sockets)
        {
            if (_sockets.Remove(socket) && _sockets.Count == 0)
            {
                empty = _empty;
                _empty = null;
            }
        }

        empty?.TrySetResult();
    }

    /// <summary>Returns a task that ends when no socket is left in the set.</summary>
    public Task WhenEmptyAsync()
    {
        lock (_sockets)
        {
            return _sockets.Count == 0
                ? Task.CompletedTask
                : (_empty ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>Resets every socket in the set and refuses new ones; their owners see the failure and remove them.</summary>
    public int AbortAll()
    {
        Socket[] sockets;
        lock (_sockets)
        {
            _aborted = true;
            sockets = [.. _sockets];
        }

        foreach (Socket socket in sockets)
        {
            socket.Close(0);
        }

        return sockets.Length;
    }
}
