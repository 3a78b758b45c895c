using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;

namespace EchoNet.Diagnostics;

/// <summary>
/// Every log message of EchoNet. Event ids and names are stable: renaming or renumbering one is a breaking change.
/// Payload bytes never reach a message; peers are logged as endpoints.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "ServerStarted", Level = LogLevel.Information,
        Message = "Echo server listening on {EndPoint} ({Transport}, {Model})")]
    public static partial void ServerStarted(ILogger logger, EndPoint endPoint, EchoTransports transport, string model);

    [LoggerMessage(EventId = 2, EventName = "ServerStopped", Level = LogLevel.Information,
        Message = "Echo server on {EndPoint} stopped; {Aborted} connection(s) were closed at the drain deadline")]
    public static partial void ServerStopped(ILogger logger, EndPoint? endPoint, int aborted);

    [LoggerMessage(EventId = 9, EventName = "ServerStopping", Level = LogLevel.Information,
        Message = "Echo server on {EndPoint} stopping: it accepts no more, and {Open} open connection(s) may go on {Drain}")]
    public static partial void ServerStopping(ILogger logger, EndPoint? endPoint, long open, string drain);

    [LoggerMessage(EventId = 3, EventName = "BindFellBackToIPv4", Level = LogLevel.Warning,
        Message = "IPv6 is not available for {Transport} port {Port} ({SocketError}); listening on IPv4 only")]
    public static partial void BindFellBackToIPv4(ILogger logger, EchoTransports transport, int port, SocketError socketError);

    [LoggerMessage(EventId = 4, EventName = "ServerFailed", Level = LogLevel.Critical,
        Message = "Echo server {Transport} loop failed and the server is stopping")]
    public static partial void ServerFailed(ILogger logger, EchoTransports transport, Exception exception);

    [LoggerMessage(EventId = 5, EventName = "MaxConnectionsLowered", Level = LogLevel.Warning,
        Message = "At most {MaxConnections} connections will be admitted: the process may open {DescriptorLimit} descriptors (raise it with `ulimit -n`)")]
    public static partial void MaxConnectionsLowered(ILogger logger, int maxConnections, long descriptorLimit);

    [LoggerMessage(EventId = 6, EventName = "ConnectionLimit", Level = LogLevel.Information,
        Message = "At most {MaxConnections} connections will be admitted, as the descriptor limit of {DescriptorLimit} allows")]
    public static partial void ConnectionLimit(ILogger logger, int maxConnections, long descriptorLimit);

    [LoggerMessage(EventId = 7, EventName = "EventLoopsStarted", Level = LogLevel.Information,
        Message = "{Loops} event loop(s) on {Backend}")]
    public static partial void EventLoopsStarted(ILogger logger, int loops, string backend);

    [LoggerMessage(EventId = 8, EventName = "IoUringRefused", Level = LogLevel.Information,
        Message = "The event loop runs on epoll: {Reason}")]
    public static partial void IoUringRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 10, EventName = "ConnectionAccepted", Level = LogLevel.Debug,
        Message = "Accepted {RemoteEndPoint}")]
    public static partial void ConnectionAccepted(ILogger logger, EndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 11, EventName = "ConnectionClosed", Level = LogLevel.Debug,
        Message = "Closed {RemoteEndPoint}")]
    public static partial void ConnectionClosed(ILogger logger, EndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 12, EventName = "ConnectionReset", Level = LogLevel.Debug,
        Message = "{RemoteEndPoint} reset or aborted the connection ({SocketError})")]
    public static partial void ConnectionReset(ILogger logger, EndPoint? remoteEndPoint, SocketError socketError);

    [LoggerMessage(EventId = 13, EventName = "ConnectionFailed", Level = LogLevel.Error,
        Message = "Connection with {RemoteEndPoint} failed")]
    public static partial void ConnectionFailed(ILogger logger, EndPoint? remoteEndPoint, Exception exception);

    [LoggerMessage(EventId = 14, EventName = "ConnectionsRejected", Level = LogLevel.Warning,
        Message = "Refused {Count} connection(s) since the last report ({Reason}); the latest from {RemoteEndPoint}")]
    public static partial void ConnectionsRejected(ILogger logger, long count, Admission reason, EndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 15, EventName = "ConnectionTimedOut", Level = LogLevel.Debug,
        Message = "Closed {RemoteEndPoint}: {Reason}")]
    public static partial void ConnectionTimedOut(ILogger logger, EndPoint? remoteEndPoint, CloseReason reason);

    [LoggerMessage(EventId = 16, EventName = "TlsHandshakeFailed", Level = LogLevel.Debug,
        Message = "TLS handshake with {RemoteEndPoint} failed, connection closed: {Reason}")]
    public static partial void TlsHandshakeFailed(ILogger logger, EndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 17, EventName = "TlsHandshakeSucceeded", Level = LogLevel.Debug,
        Message = "TLS with {RemoteEndPoint}: {Protocol}, {CipherSuite}")]
    public static partial void TlsHandshakeSucceeded(ILogger logger, EndPoint? remoteEndPoint, SslProtocols protocol, TlsCipherSuite cipherSuite);

    [LoggerMessage(EventId = 20, EventName = "AcceptFailed", Level = LogLevel.Warning,
        Message = "Accept failed ({SocketError}); retrying in {DelayMs} ms")]
    public static partial void AcceptFailed(ILogger logger, SocketError socketError, int delayMs);

    [LoggerMessage(EventId = 30, EventName = "DatagramFailed", Level = LogLevel.Debug,
        Message = "Datagram from {RemoteEndPoint} could not be answered ({SocketError})")]
    public static partial void DatagramFailed(ILogger logger, EndPoint? remoteEndPoint, SocketError socketError);

    [LoggerMessage(EventId = 31, EventName = "UdpBlockedPortDropped", Level = LogLevel.Warning,
        Message = "Dropped {Count} UDP datagram(s) from blocked source ports in {Seconds} s (a loop or reflection attempt); the last from {Source} port {SourcePort}")]
    public static partial void UdpBlockedPortDropped(ILogger logger, long count, double seconds, IPAddress source, int sourcePort);

    [LoggerMessage(EventId = 32, EventName = "UdpInvalidSourceDropped", Level = LogLevel.Warning,
        Message = "Dropped {Count} UDP datagram(s) from unspecified, broadcast or multicast sources in {Seconds} s; the last from {Source} port {SourcePort}")]
    public static partial void UdpInvalidSourceDropped(ILogger logger, long count, double seconds, IPAddress source, int sourcePort);

    [LoggerMessage(EventId = 33, EventName = "UdpSourceRateLimited", Level = LogLevel.Information,
        Message = "Dropped {Count} UDP datagram(s) over the per-source rate in {Seconds} s; the last from {Source}")]
    public static partial void UdpSourceRateLimited(ILogger logger, long count, double seconds, IPAddress source);

    [LoggerMessage(EventId = 34, EventName = "UdpGlobalRateLimited", Level = LogLevel.Warning,
        Message = "Dropped {Count} UDP datagram(s) over the server's global rate in {Seconds} s; the last from {Source}")]
    public static partial void UdpGlobalRateLimited(ILogger logger, long count, double seconds, IPAddress source);

    [LoggerMessage(EventId = 35, EventName = "UdpGuardDisabled", Level = LogLevel.Warning,
        Message = "The UDP guard is off: datagrams from any source and port are answered, at any rate")]
    public static partial void UdpGuardDisabled(ILogger logger);

    [LoggerMessage(EventId = 40, EventName = "StaleUnixSocketReplaced", Level = LogLevel.Information,
        Message = "Replaced the socket file {Path}: nobody was listening on it")]
    public static partial void StaleUnixSocketReplaced(ILogger logger, string path);

    [LoggerMessage(EventId = 41, EventName = "UnixSocketFileLeft", Level = LogLevel.Warning,
        Message = "Left the file at {Path} in place: {Reason}")]
    public static partial void UnixSocketFileLeft(ILogger logger, string path, string reason);

    /// <summary>Logs the end of a connection by a socket error: a reset or abort at Debug, anything else at Error.</summary>
    public static void ConnectionEnded(ILogger logger, EndPoint? remoteEndPoint, SocketError error)
    {
        if (Disconnects.IsNormal(error))
        {
            ConnectionReset(logger, remoteEndPoint, error);
        }
        else
        {
            ConnectionFailed(logger, remoteEndPoint, new SocketException((int)error));
        }
    }

    /// <summary>Logs the end of a connection by an exception: a reset or abort at Debug, anything else at Error.</summary>
    public static void ConnectionEnded(ILogger logger, EndPoint? remoteEndPoint, Exception exception)
    {
        // A TLS stream reports a socket's error inside an IOException.
        if (exception is IOException { InnerException: SocketException inner })
        {
            exception = inner;
        }

        if (exception is SocketException socketError && Disconnects.IsNormal(socketError.SocketErrorCode))
        {
            ConnectionReset(logger, remoteEndPoint, socketError.SocketErrorCode);
        }
        else if (exception is ObjectDisposedException)
        {
            ConnectionReset(logger, remoteEndPoint, SocketError.OperationAborted);
        }
        else
        {
            ConnectionFailed(logger, remoteEndPoint, exception);
        }
    }
}
