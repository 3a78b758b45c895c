using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;

namespace EchoNet.Server.Connections;

/// <summary>
/// An admitted TCP connection: its socket, its peer, and the times (timestamps of the server's clock) the idle and
/// stall checks read.
/// </summary>
internal sealed class TrackedConnection(Socket socket, IPEndPoint? peer, IPAddress? source, TimeProvider time)
{
    /// <summary>Marks "no send under way"; a real timestamp of any clock is never this.</summary>
    private const long NoSend = long.MinValue;

    private long _lastReceived = time.GetTimestamp();
    private long _sendStarted = NoSend;
    private int _closeReason;
    private int _released;

    public Socket Socket => socket;

    public IPEndPoint? Peer => peer;

    /// <summary>Gets the normalised source address the connection limits count, if they count sources.</summary>
    public IPAddress? Source => source;

    /// <summary>Gets when the connection was admitted, as a timestamp of the server's clock.</summary>
    public long OpenedTimestamp { get; } = time.GetTimestamp();

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

    /// <summary>Says whether this is the first release of the connection; only that one counts it out.</summary>
    public bool TryRelease() => Interlocked.Exchange(ref _released, 1) == 0;

    public void MarkReceived() => Volatile.Write(ref _lastReceived, time.GetTimestamp());

    public void MarkSendStarted() => Volatile.Write(ref _sendStarted, time.GetTimestamp());

    public void MarkSendEnded() => Volatile.Write(ref _sendStarted, NoSend);

    /// <summary>Says whether the connection has broken a timeout at the timestamp <paramref name="now"/>, and which.</summary>
    public CloseReason Check(long now, TimeSpan? idleTimeout, TimeSpan? stallTimeout)
    {
        long sendStarted = Volatile.Read(ref _sendStarted);
        if (sendStarted != NoSend)
        {
            return time.GetElapsedTime(sendStarted, now) >= stallTimeout ? CloseReason.SendStalled : CloseReason.Ordinary;
        }

        return time.GetElapsedTime(Volatile.Read(ref _lastReceived), now) >= idleTimeout ? CloseReason.Idle : CloseReason.Ordinary;
    }
}
