using System.Net;
using EchoNet.Diagnostics;

namespace EchoNet.Server.Connections;

/// <summary>
/// An admitted TCP connection as its owner (<see cref="ConnectionSet"/>) sees it: its peer, the times (timestamps of the
/// server's clock) the idle and stall checks read, and how to end it. A model serves it as a <see cref="SocketConnection"/>,
/// or as a descriptor of its own loop.
/// </summary>
internal abstract class TrackedConnection(IPEndPoint? peer, IPAddress? source, TimeProvider time)
{
    /// <summary>Marks "no send under way"; a real timestamp of any clock is never this.</summary>
    private const long NoSend = long.MinValue;

    private const int HandshakeNone = 0;
    private const int HandshakeUnderWay = 1;
    private const int HandshakeAwaitingClient = 2;

    private long _lastReceived = time.GetTimestamp();
    private long _sendStarted = NoSend;
    private int _closeReason;
    private int _released;
    private int _handshake;

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
        Reset();
    }

    /// <summary>
    /// Closes the connection at once with a reset, discarding what is owed: a timeout, or a stop's deadline. Whoever
    /// serves the connection sees it fail and releases it; a loop that serves its connections itself calls this only
    /// from its own thread.
    /// </summary>
    public abstract void Reset();

    /// <summary>Closes the connection once its echo has ended; only <see cref="ConnectionSet"/>'s release calls this.</summary>
    public abstract void Close();

    /// <summary>Says whether this is the first release of the connection; only that one counts it out.</summary>
    public bool TryRelease() => Interlocked.Exchange(ref _released, 1) == 0;

    /// <summary>
    /// Gets whether a TLS handshake has begun and the client has not yet confirmed it: a connection that ends so ended
    /// in a failed handshake. Under TLS 1.3 the server's side of the handshake ends before the client has checked the
    /// certificate, so a client that rejects it says so only in its first record: the handshake counts as succeeded once
    /// that first record (data, or the end of the stream) has been read.
    /// </summary>
    public bool IsHandshaking => Volatile.Read(ref _handshake) != HandshakeNone;

    /// <summary>Marks the start of the TLS handshake: until <see cref="MarkHandshakeEnded"/>, the handshake timeout counts from the admission.</summary>
    public void MarkHandshakeStarted() => Volatile.Write(ref _handshake, HandshakeUnderWay);

    /// <summary>Marks the end of the server's side of the handshake: the handshake timeout no longer applies; the idle timeout does, from now.</summary>
    public void MarkHandshakeEnded()
    {
        MarkReceived();
        Volatile.Write(ref _handshake, HandshakeAwaitingClient);
    }

    /// <summary>Marks a handshake the client has confirmed with its first record.</summary>
    public void MarkHandshakeConfirmed() => Volatile.Write(ref _handshake, HandshakeNone);

    public void MarkReceived() => Volatile.Write(ref _lastReceived, time.GetTimestamp());

    public void MarkSendStarted() => Volatile.Write(ref _sendStarted, time.GetTimestamp());

    public void MarkSendEnded() => Volatile.Write(ref _sendStarted, NoSend);

    /// <summary>Says whether the connection has broken a timeout at the timestamp <paramref name="now"/>, and which.</summary>
    public CloseReason Check(long now, TimeSpan? idleTimeout, TimeSpan? stallTimeout, TimeSpan? handshakeTimeout)
    {
        if (Volatile.Read(ref _handshake) == HandshakeUnderWay)
        {
            return time.GetElapsedTime(OpenedTimestamp, now) >= handshakeTimeout ? CloseReason.HandshakeTimedOut : CloseReason.Ordinary;
        }

        long sendStarted = Volatile.Read(ref _sendStarted);
        if (sendStarted != NoSend)
        {
            return time.GetElapsedTime(sendStarted, now) >= stallTimeout ? CloseReason.SendStalled : CloseReason.Ordinary;
        }

        return time.GetElapsedTime(Volatile.Read(ref _lastReceived), now) >= idleTimeout ? CloseReason.Idle : CloseReason.Ordinary;
    }
}
