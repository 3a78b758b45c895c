using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using EchoNet.Interop;
using EchoNet.Server.Connections;

namespace EchoNet.Server.EventLoop;

/// <summary>
/// A loop's connections and what every backend does with them the same way: admit one, send an echo (keeping what the
/// kernel will not take), send what is owed, finish a half-closed one, and hand an ended one to the owner
/// (<see cref="ConnectionSet"/>). Only the loop's thread calls it.
/// </summary>
internal sealed unsafe class LoopConnections
{
    private readonly ServerContext _context;
    private readonly ConnectionSet _owner;
    private readonly LoopSlots _slots = new();
    private readonly List<TrackedConnection> _expired = [];
    private readonly Action<LoopConnection>? _onForget;

    /// <param name="context">The server's.</param>
    /// <param name="onForget">What the backend must undo for a connection that ends (cancel what is in flight for it), before it is closed.</param>
    public LoopConnections(ServerContext context, Action<LoopConnection>? onForget = null)
    {
        _context = context;
        _owner = new ConnectionSet(context);
        _onForget = onForget;
    }

    /// <summary>Gets how many connections the loop serves; read from any thread.</summary>
    public int Count => _slots.Count;

    public LoopConnection? Find(int slot, uint generation) => _slots.Find(slot, generation);

    /// <summary>Takes an accepted descriptor in, or closes it with a reset when a limit refuses it; null then.</summary>
    public LoopConnection? Admit(int fd, IPEndPoint? peer)
    {
        if (!_context.TryAdmit(peer, out IPAddress? source))
        {
            _ = Linux.CloseWithReset(fd);
            return null;
        }

        Linux.SetNoDelay(fd);
        LoopConnection connection = _slots.Add(fd, peer, source, _context.Time);
        if (!_owner.Track(connection))
        {
            _ = _slots.Remove(connection);
            return null;
        }

        return connection;
    }

    /// <summary>
    /// Sends received bytes back; true when the kernel took them all. Otherwise the rest is owed (the backend waits for
    /// room), or the connection failed and is gone (its <see cref="LoopConnection.Fd"/> is -1).
    /// </summary>
    public bool Echo(LoopConnection connection, byte* bytes, int count)
    {
        long sent = Linux.Send(connection.Fd, bytes, count);
        if (sent == count)
        {
            _context.Counters.Echoed(count);
            return true;
        }

        if (sent < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Linux.EAGAIN && errno != Linux.EINTR)
            {
                _context.Counters.Received(count);
                Forget(connection, Linux.ToSocketError(errno));
                return false;
            }

            sent = 0;
        }

        // The client is not taking its echo as fast as it sends: keep the rest until there is room.
        _context.Counters.Received(count);
        _context.Counters.Sent((int)sent);
        connection.Owe(new ReadOnlySpan<byte>(bytes + sent, count - (int)sent));
        connection.MarkSendStarted();
        return false;
    }

    /// <summary>Records bytes received while an echo is still owed: they go after it, in order.</summary>
    public void OweMore(LoopConnection connection, byte* bytes, int count)
    {
        _context.Counters.Received(count);
        connection.Owe(new ReadOnlySpan<byte>(bytes, count));
    }

    /// <summary>
    /// Sends what is owed; true when none is left and the connection still receives. False when some is left (the
    /// connection is still open), or it failed, or its client had shut its side and it is now finished (both gone).
    /// </summary>
    public bool Flush(LoopConnection connection)
    {
        ReadOnlySpan<byte> owed = connection.Owed;
        long sent;
        fixed (byte* bytes = owed)
        {
            sent = Linux.Send(connection.Fd, bytes, owed.Length);
        }

        if (sent < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Linux.EAGAIN && errno != Linux.EINTR)
            {
                Forget(connection, Linux.ToSocketError(errno));
            }

            return false;
        }

        _context.Counters.Sent((int)sent);
        connection.Consumed((int)sent);
        if (connection.OwedCount > 0)
        {
            return false;
        }

        connection.MarkSendEnded();
        if (connection.ReceivedEnd)
        {
            Finish(connection);
            return false;
        }

        return true;
    }

    /// <summary>The client has shut its side: once nothing is owed or being sent, shut ours and close.</summary>
    public void Finish(LoopConnection connection)
    {
        if (connection.OwedCount > 0 || connection.SendingBuffer >= 0)
        {
            return;
        }

        SocketError? error = Linux.ShutdownSend(connection.Fd) < 0 ? Linux.ToSocketError(Marshal.GetLastPInvokeError()) : null;
        Forget(connection, error);
    }

    /// <summary>Hands a connection that has ended to the owner, which closes it, counts it out and logs how it ended.</summary>
    public void Forget(LoopConnection connection, SocketError? error)
    {
        if (_slots.Remove(connection))
        {
            _onForget?.Invoke(connection);
        }

        if (error is { } code)
        {
            _owner.Release(connection, code);
        }
        else
        {
            _owner.Release(connection);
        }
    }

    /// <summary>Closes the connections that broke a timeout, when a sweep is due.</summary>
    public void CloseExpiredIfDue()
    {
        _owner.CloseExpiredIfDue(_expired);
        foreach (TrackedConnection connection in _expired)
        {
            Forget((LoopConnection)connection, error: null);
        }

        _expired.Clear();
    }

    /// <summary>Resets every connection: the loop is aborted or exits.</summary>
    public void ResetAll()
    {
        foreach (LoopConnection connection in _slots.Snapshot())
        {
            connection.Reset();
            Forget(connection, SocketError.OperationAborted);
        }
    }
}
