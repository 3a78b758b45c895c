using System.Net.Sockets;

namespace EchoNet.Diagnostics;

/// <summary>Tells the socket errors that are an ordinary end of a connection from those worth an error.</summary>
internal static class Disconnects
{
    /// <summary>
    /// A reset or abort by the peer, a send on a connection the peer has gone from, or our own close during a stop:
    /// all are how connections end on the internet, not faults of the server.
    /// </summary>
    public static bool IsNormal(SocketError error) => error is
        SocketError.ConnectionReset or
        SocketError.ConnectionAborted or
        SocketError.Shutdown or
        SocketError.OperationAborted or
        SocketError.Interrupted or
        SocketError.NotConnected or
        SocketError.TimedOut or
        SocketError.HostUnreachable or
        SocketError.NetworkUnreachable;
}
