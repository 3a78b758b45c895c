using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Models;

/// <summary>
/// What every loop of one server shares: its options, logger, counters and metrics, and the admission of new
/// connections against the limits, so each model admits, rejects and counts in the same way.
/// </summary>
internal sealed class ServerContext(EchoServerOptions options, ILogger logger, ServerCounters counters, EchoMetrics? metrics, int? maxConnections)
{
    private static readonly TimeSpan RejectionLogInterval = TimeSpan.FromSeconds(10);

    private readonly LogThrottle _rejectionLog = new(RejectionLogInterval);
    private readonly ConnectionLimiter _limiter = new(maxConnections, options.MaxConnectionsPerSource);

    public EchoServerOptions Options => options;

    public ILogger Logger => logger;

    public ServerCounters Counters => counters;

    public long? IdleTimeoutMs { get; } = (long?)options.IdleTimeout?.TotalMilliseconds;

    public long? SendStallTimeoutMs { get; } = (long?)options.SendStallTimeout?.TotalMilliseconds;

    /// <summary>Gets whether connections must be checked against a timeout.</summary>
    public bool HasTimeouts => IdleTimeoutMs is not null || SendStallTimeoutMs is not null;

    /// <summary>Admits a freshly accepted socket, or resets it (counted, and logged sparingly) and returns null.</summary>
    public TrackedConnection? Admit(Socket socket)
    {
        IPEndPoint? peer;
        try
        {
            peer = (IPEndPoint?)socket.RemoteEndPoint;
        }
        catch (SocketException e)
        {
            // The client left between its handshake and now: an ordinary end.
            Log.ConnectionEnded(logger, null, e);
            socket.Dispose();
            return null;
        }

        IPAddress? source = peer is not null && _limiter.CountsSources ? ConnectionLimiter.Normalize(peer.Address) : null;
        Admission admission = _limiter.TryAdmit(source);
        if (admission != Admission.Admitted)
        {
            counters.ConnectionRejected(admission);
            if (_rejectionLog.ShouldLog(out long count))
            {
                Log.ConnectionsRejected(logger, count, admission, peer);
            }

            socket.Close(0);
            return null;
        }

        counters.ConnectionOpened();
        Log.ConnectionAccepted(logger, peer);
        return new TrackedConnection(socket, peer, source);
    }

    /// <summary>Counts an admitted connection out once its socket is closed.</summary>
    public void Closed(TrackedConnection connection)
    {
        _limiter.Release(connection.Source);
        counters.ConnectionClosed();
        metrics?.ConnectionClosed(Stopwatch.GetElapsedTime(connection.OpenedTimestamp));
        if (connection.CloseReason != CloseReason.Ordinary)
        {
            Log.ConnectionTimedOut(logger, connection.Peer, connection.CloseReason);
        }
    }
}
