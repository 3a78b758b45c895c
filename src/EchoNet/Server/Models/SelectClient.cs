using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Models;

/// <summary>One client of the select model: a non-blocking socket and the echo it is owed.</summary>
internal sealed class SelectClient(Socket socket, int maxOwedBytes, int readSize, ILogger logger)
{
    private readonly OwedEcho _owed = new(maxOwedBytes + readSize);
    private readonly EndPoint? _peer = socket.RemoteEndPoint;
    private bool _receivedEnd;

    public Socket Socket => socket;

    public bool IsClosed { get; private set; }

    /// <summary>Gets whether to read: the client has not shut its side, and it owes less than the cap (backpressure).</summary>
    public bool WantsRead => !_receivedEnd && _owed.Count < maxOwedBytes;

    /// <summary>Gets whether to wait for room to send: only while echo is owed.</summary>
    public bool WantsWrite => _owed.Count > 0;

    public void Accepted() => Log.ConnectionAccepted(logger, _peer);

    /// <summary>Reads what the client sent and sends it straight back; what the kernel will not take yet is owed.</summary>
    public void OnReadable(byte[] buffer)
    {
        int received = socket.Receive(buffer, 0, readSize, SocketFlags.None, out SocketError error);
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

        int sent = 0;
        if (_owed.Count == 0)
        {
            sent = socket.Send(buffer, 0, received, SocketFlags.None, out error);
            if (error == SocketError.WouldBlock)
            {
                sent = 0;
            }
            else if (error != SocketError.Success)
            {
                Fail(error);
                return;
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
        int sent = socket.Send(_owed.Pending, SocketFlags.None, out SocketError error);
        if (error == SocketError.WouldBlock)
        {
            return;
        }

        if (error != SocketError.Success)
        {
            Fail(error);
            return;
        }

        _owed.Consume(sent);
        if (_owed.Count == 0 && _receivedEnd)
        {
            Finish();
        }
    }

    /// <summary>Closes at once, discarding what is owed (a stop's deadline).</summary>
    public void Abort()
    {
        socket.Close(0);
        Closed();
    }

    private void Finish()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException e)
        {
            Fail(e.SocketErrorCode);
            return;
        }

        socket.Dispose();
        Log.ConnectionClosed(logger, _peer);
        Closed();
    }

    private void Fail(SocketError error)
    {
        Log.ConnectionEnded(logger, _peer, new SocketException((int)error));
        socket.Dispose();
        Closed();
    }

    private void Closed()
    {
        IsClosed = true;
        _owed.Release();
    }
}
