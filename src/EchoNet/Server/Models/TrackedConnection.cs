using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;

namespace EchoNet.Server.Models;

/// <summary>An admitted TCP connection: its socket, its peer, and the times the idle and stall checks read.</summary>
internal sealed class TrackedConnection(Socket socket, IPEndPoint? peer, IPAddress? source)
{
    private long _lastReceiveMs = Environment.TickCount64;
    private long _sendStartedMs;
    private int _closeReason;

    public Socket Socket => socket;

    public IPEndPoint? Peer => peer;

    /// <summary>Gets the normalised source address the connection limits count, if they count sources.</summary>
    public IPAddress? Source => source;

    public long OpenedTimestamp { get; } = Stopwatch.GetTimestamp();

    /// <summary>Gets why the server closed the connection, when it was the server's choice.</summary>
    public CloseReason CloseReason => (CloseReason)Volatile.Read(ref _closeReason);

    /// <summary>
    /// Counts the connection as timed out, then resets it; whoever is serving it sees the failure and ends. Only the
    /// first call counts: a connection found again before its owner has removed it is not counted twice.
    /// </summary>
    public void Expire(CloseReason reason, ServerCounters counters)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, (int)CloseReason.Ordinary) != (int)CloseReason.Ordinary)
        {
            return;
        }

        // Counted before the reset, so a client that sees the reset also sees the count.
        counters.ConnectionTimedOut(reason);
        socket.Close(0);
    }

    public void MarkReceived() => Volatile.Write(ref _lastReceiveMs, Environment.TickCount64);

    public void MarkSendStarted() => Volatile.Write(ref _sendStartedMs, Environment.TickCount64);

    public void MarkSendEnded() => Volatile.Write(ref _sendStartedMs, 0);

    /// <summary>Says whether the connection has broken a timeout at <paramref name="nowMs"/>, and which.</summary>
    public CloseReason Check(long nowMs, long? idleMs, long? stallMs)
    {
        long sendStarted = Volatile.Read(ref _sendStartedMs);
        if (sendStarted != 0)
        {
            return nowMs - sendStarted >= stallMs ? CloseReason.SendStalled : CloseReason.Ordinary;
        }

        return nowMs - Volatile.Read(ref _lastReceiveMs) >= idleMs ? CloseReason.Idle : CloseReason.Ordinary;
    }
}
