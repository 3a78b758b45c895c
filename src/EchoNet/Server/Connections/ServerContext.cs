using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Connections;

/// <summary>
/// What every loop of one server shares: its options, logger, counters and metrics, and the admission of new
/// connections against the limits, so each model admits, rejects and counts in the same way.
/// </summary>
internal sealed class ServerContext(EchoServerOptions options, ILogger logger, ServerCounters counters, EchoMetrics? metrics, int? maxConnections)
{
    private static readonly TimeSpan RejectionLogInterval = TimeSpan.FromSeconds(10);

    private readonly LogThrottle _rejectionLog = new(RejectionLogInterval, options.TimeProvider);
    private readonly ConnectionLimiter _limiter = new(maxConnections, options.MaxConnectionsPerSource);

    public EchoServerOptions Options => options;

    public ILogger Logger => logger;

    public ServerCounters Counters => counters;

    /// <summary>Gets the one clock of the server: timeouts, their checks, and how long connections last.</summary>
    public TimeProvider Time => options.TimeProvider;

    /// <summary>Gets whether connections must be checked against a timeout.</summary>
    public bool HasTimeouts => options.IdleTimeout is not null || options.SendStallTimeout is not null || options.Tls is not null;

    /// <summary>Says whether <paramref name="connection"/> has broken the idle or send-stall timeout by now, and which.</summary>
    public CloseReason CheckTimeouts(TrackedConnection connection) =>
        connection.Check(Time.GetTimestamp(), options.IdleTimeout, options.SendStallTimeout, options.Tls is null ? null : options.TlsHandshakeTimeout);

    /// <summary>
    /// Decides on a connection just accepted from <paramref name="peer"/>, against the limits: true when it is admitted
    /// (counted and logged), with the source address the limits count; false when it is refused (counted, and logged
    /// sparingly), and the caller resets it.
    /// </summary>
    public bool TryAdmit(IPEndPoint? peer, out IPAddress? source)
    {
        source = peer is not null && _limiter.CountsSources ? ConnectionLimiter.Normalize(peer.Address) : null;
        Admission admission = _limiter.TryAdmit(source);
        if (admission != Admission.Admitted)
        {
            counters.ConnectionRejected(admission);
            if (_rejectionLog.ShouldLog(out long count))
            {
                Log.ConnectionsRejected(logger, count, admission, peer);
            }

            return false;
        }

        counters.ConnectionOpened();
        Log.ConnectionAccepted(logger, peer);
        return true;
    }

    /// <summary>
    /// Counts an admitted connection out once its socket is closed, and logs how it ended: a timeout, a clean end
    /// (<paramref name="failure"/> null), a reset (Debug) or a failure (Error). Only <see cref="ConnectionSet.Release(TrackedConnection, Exception?)"/> calls this.
    /// </summary>
    public void Closed(TrackedConnection connection, Exception? failure)
    {
        if (connection.IsHandshaking)
        {
            HandshakeFailed(connection, failure);
            return;
        }

        if (!CountOut(connection))
        {
            return;
        }

        if (failure is null)
        {
            Log.ConnectionClosed(logger, connection.Peer);
        }
        else
        {
            Log.ConnectionEnded(logger, connection.Peer, failure);
        }
    }

    /// <summary>
    /// Counts out a connection a socket error ended, and logs how: a timeout, a reset (Debug) or a failure (Error).
    /// Only <see cref="ConnectionSet.Release(TrackedConnection, SocketError)"/> calls this.
    /// </summary>
    public void Closed(TrackedConnection connection, SocketError error)
    {
        if (connection.IsHandshaking)
        {
            HandshakeFailed(connection, new SocketException((int)error));
            return;
        }

        if (CountOut(connection))
        {
            Log.ConnectionEnded(logger, connection.Peer, error);
        }
    }

    /// <summary>
    /// Counts a TLS handshake that succeeded on <paramref name="connection"/>, and logs what it agreed on: once the first
    /// record after the server's side of the handshake has been read (see <see cref="TrackedConnection.IsHandshaking"/>).
    /// </summary>
    public void HandshakeConfirmed(TrackedConnection connection, SslStream stream)
    {
        connection.MarkHandshakeConfirmed();
        counters.TlsHandshakeSucceeded();
        metrics?.TlsHandshakeSucceeded(stream.SslProtocol);
        Log.TlsHandshakeSucceeded(logger, connection.Peer, stream.SslProtocol, stream.NegotiatedCipherSuite);
    }

    /// <summary>
    /// Counts out a connection that ended before its TLS handshake succeeded: an ordinary close, whatever the reason
    /// (plain text on the TLS port, no protocol in common, a client that rejected the certificate, the handshake
    /// timeout), logged once at Debug with the reason.
    /// </summary>
    private void HandshakeFailed(TrackedConnection connection, Exception? failure)
    {
        Release(connection);
        bool timedOut = connection.CloseReason == CloseReason.HandshakeTimedOut;
        counters.TlsHandshakeFailed();
        metrics?.TlsHandshakeFailed(timedOut ? "timeout" : failure is AuthenticationException ? "handshake_failed" : "connection_closed");
        string reason = timedOut
            ? string.Create(CultureInfo.InvariantCulture, $"no handshake within the handshake timeout of {options.TlsHandshakeTimeout.TotalSeconds:0.###} s")
            : failure?.GetBaseException().Message ?? "the client closed the connection";
        Log.TlsHandshakeFailed(logger, connection.Peer, reason);
    }

    /// <summary>Counts a connection out; false when it was the server's timeout that closed it (logged here, once).</summary>
    private bool CountOut(TrackedConnection connection)
    {
        Release(connection);
        if (connection.CloseReason == CloseReason.Ordinary)
        {
            return true;
        }

        // The sweeper's reset is the failure the owner saw: the timeout is the reason, logged once.
        Log.ConnectionTimedOut(logger, connection.Peer, connection.CloseReason);
        return false;
    }

    private void Release(TrackedConnection connection)
    {
        _limiter.Release(connection.Source);
        counters.ConnectionClosed();
        metrics?.ConnectionClosed(Time.GetElapsedTime(connection.OpenedTimestamp));
    }
}
