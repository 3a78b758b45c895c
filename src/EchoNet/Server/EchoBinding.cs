using System.Net;

namespace EchoNet;

/// <summary>A socket an <see cref="EchoServer"/> serves on: its transport, and its endpoint as bound.</summary>
public sealed class EchoBinding
{
    internal EchoBinding(EchoTransports transport, EndPoint endPoint)
    {
        Transport = transport;
        EndPoint = endPoint;
    }

    /// <summary>Gets the transport served on this socket: <see cref="EchoTransports.Tcp"/>, <see cref="EchoTransports.Udp"/> or <see cref="EchoTransports.Unix"/>.</summary>
    public EchoTransports Transport { get; }

    /// <summary>
    /// Gets the endpoint the socket is bound to: an <see cref="IPEndPoint"/> with the port actually taken, or for a
    /// Unix socket a <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> with its path.
    /// </summary>
    public EndPoint EndPoint { get; }

    /// <summary>Returns the endpoint and the transport, as in <c>[::]:7777 (TCP)</c> or <c>/tmp/echo.sock (Unix)</c>.</summary>
    /// <returns>The binding as text.</returns>
    public override string ToString() => $"{EndPoint} ({Transport switch { EchoTransports.Udp => "UDP", EchoTransports.Unix => "Unix", _ => "TCP" }})";
}
