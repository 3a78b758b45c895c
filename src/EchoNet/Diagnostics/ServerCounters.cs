namespace EchoNet.Diagnostics;

/// <summary>
/// The running totals of one server, updated with interlocked operations by every loop. The statistics snapshot and
/// the observable metric instruments both read them, so the hot path pays for one add, not for metrics.
/// </summary>
internal sealed class ServerCounters
{
    private long _activeConnections;
    private long _acceptedConnections;
    private long _rejectedTooManyConnections;
    private long _rejectedTooManyFromSource;
    private long _closedIdle;
    private long _closedStalled;
    private long _tlsHandshakes;
    private long _tlsHandshakesFailed;
    private long _bytesReceived;
    private long _bytesSent;
    private long _datagramsReceived;
    private long _datagramsSent;
    private long _datagramBytesReceived;
    private long _datagramBytesSent;

    public long ActiveConnections => Volatile.Read(ref _activeConnections);

    public long AcceptedConnections => Volatile.Read(ref _acceptedConnections);

    public long RejectedTooManyConnections => Volatile.Read(ref _rejectedTooManyConnections);

    public long RejectedTooManyFromSource => Volatile.Read(ref _rejectedTooManyFromSource);

    public long ClosedIdle => Volatile.Read(ref _closedIdle);

    public long ClosedStalled => Volatile.Read(ref _closedStalled);

    public long TlsHandshakes => Volatile.Read(ref _tlsHandshakes);

    public long TlsHandshakesFailed => Volatile.Read(ref _tlsHandshakesFailed);

    /// <summary>Gets the bytes received over TCP.</summary>
    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    /// <summary>Gets the bytes sent over TCP.</summary>
    public long BytesSent => Volatile.Read(ref _bytesSent);

    public long DatagramsReceived => Volatile.Read(ref _datagramsReceived);

    public long DatagramsSent => Volatile.Read(ref _datagramsSent);

    public long DatagramBytesReceived => Volatile.Read(ref _datagramBytesReceived);

    public long DatagramBytesSent => Volatile.Read(ref _datagramBytesSent);

    /// <summary>Gets the datagrams the UDP guard dropped, by reason.</summary>
    public UdpDropCounters DatagramsDropped { get; } = new();

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _acceptedConnections);
        Interlocked.Increment(ref _activeConnections);
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _activeConnections);

    public void ConnectionTimedOut(CloseReason reason)
    {
        // A handshake that timed out is counted where every failed handshake is (TlsHandshakeFailed).
        if (reason == CloseReason.Idle)
        {
            Interlocked.Increment(ref _closedIdle);
        }
        else if (reason == CloseReason.SendStalled)
        {
            Interlocked.Increment(ref _closedStalled);
        }
    }

    public void TlsHandshakeSucceeded() => Interlocked.Increment(ref _tlsHandshakes);

    public void TlsHandshakeFailed() => Interlocked.Increment(ref _tlsHandshakesFailed);

    public void ConnectionRejected(Admission admission)
    {
        if (admission == Admission.TooManyFromSource)
        {
            Interlocked.Increment(ref _rejectedTooManyFromSource);
        }
        else
        {
            Interlocked.Increment(ref _rejectedTooManyConnections);
        }
    }

    public void Echoed(int bytes)
    {
        Interlocked.Add(ref _bytesReceived, bytes);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    public void Received(int bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    public void Sent(int bytes) => Interlocked.Add(ref _bytesSent, bytes);

    public void DatagramReceived(int bytes)
    {
        Interlocked.Increment(ref _datagramsReceived);
        Interlocked.Add(ref _datagramBytesReceived, bytes);
    }

    public void DatagramSent(int bytes)
    {
        Interlocked.Increment(ref _datagramsSent);
        Interlocked.Add(ref _datagramBytesSent, bytes);
    }
}
