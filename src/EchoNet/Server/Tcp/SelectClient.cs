using System.Net.Sockets;
using EchoNet.Server.Connections;

namespace EchoNet.Server.Tcp;

/// <summary>One client of the select model: a non-blocking socket and the echo it is owed.</summary>
internal sealed class SelectClient(SocketConnection connection, ConnectionSet owner, ServerContext context)
{
    private readonly OwedEcho _owed = new(context.Options.MaxOwedBytes + context.Options.ReadSize);
    private readonly int _maxOwedBytes = context.Options.MaxOwedBytes;
    private readonly int _readSize = context.Options.ReadSize;
    private readonly Socket _socket = connection.Socket;
    private bool _receivedEnd;

    // Bytes of owed echo sent since the stall clock last started: it restarts only once a whole read's worth is out.
    private int _sentSinceStallStart;

    public SocketConnection Connection => connection;

    public Socket Socket => _socket;

    public bool IsClosed { get; private set; }

    /// <summary>Gets whether to read: the client has not shut its side, and it owes less than the cap (backpressure).</summary>
    public bool WantsRead => !_receivedEnd && _owed.Count < _maxOwedBytes;

    /// <summary>Gets whether to wait for room to send: only while echo is owed.</summary>
    public bool WantsWrite => _owed.Count > 0;

    /// <summary>Reads what the client sent and sends it straight back; what the kernel will not take yet is owed.</summary>
    public void OnReadable(byte[] buffer)
    {
        int received = _socket.Receive(buffer, 0, _readSize, SocketFlags.None, out SocketError error);
        if (error == SocketError.WouldBlock)
        {
            return;
        }

        if (error != SocketError.Success)
        {
            Fail(error);
            return;
        }

        if (received == 0)
        {
            _receivedEnd = true;
            if (_owed.Count == 0)
            {
                Finish();
            }

            return;
        }

        connection.MarkReceived();
        context.Counters.Received(received);
        int sent = 0;
        if (_owed.Count == 0)
        {
            sent = _socket.Send(buffer, 0, received, SocketFlags.None, out error);
            if (error == SocketError.WouldBlock)
            {
                sent = 0;
            }
            else if (error != SocketError.Success)
            {
                Fail(error);
                return;
            }

            context.Counters.Sent(sent);
            if (sent < received)
            {
                // From now until the owed echo is gone, the client must take a read's worth per stall timeout.
                connection.MarkSendStarted();
                _sentSinceStallStart = 0;
            }
        }

        if (sent < received)
        {
            _owed.Append(buffer.AsSpan(sent, received - sent));
        }
    }

    /// <summary>Sends what is owed; once nothing is and the client has shut its side, shuts ours and closes.</summary>
    public void OnWritable()
    {
        int sent = _socket.Send(_owed.Pending, SocketFlags.None, out SocketError error);
        if (error == SocketError.WouldBlock)
        {
            return;
        }

        if (error != SocketError.Success)
        {
            Fail(error);
            return;
        }

        context.Counters.Sent(sent);
        _owed.Consume(sent);
        if (_owed.Count > 0)
        {
            // A trickle does not restart the clock; as much as one read brought in does.
            _sentSinceStallStart += sent;
            if (_sentSinceStallStart >= _readSize)
            {
                connection.MarkSendStarted();
                _sentSinceStallStart = 0;
            }

            return;
        }

        connection.MarkSendEnded();
        if (_receivedEnd)
        {
            Finish();
        }
    }

    /// <summary>Resets the connection at once, discarding what is owed (a stop's deadline, or a timeout).</summary>
    public void Abort()
    {
        if (IsClosed)
        {
            return;
        }

        _socket.Close(0);
        Closed();
    }

    private void Finish()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException e)
        {
            Fail(e.SocketErrorCode);
            return;
        }

        Closed();
    }

    private void Fail(SocketError error)
    {
        IsClosed = true;
        _owed.Release();
        owner.Release(connection, error);
    }

    private void Closed()
    {
        IsClosed = true;
        _owed.Release();
        owner.Release(connection);
    }
}
