using System.Net;

namespace EchoNet;

/// <summary>A socket an <see cref="EchoServer"/> serves on: its transport, and its endpoint as bound.</summary>
public sealed class EchoBinding
{
    internal EchoBinding(EchoTransports transport, IPEndPoint endPoint)
    {
        Transport = transport;
        EndPoint = endPoint;
    }

    /// <summary>Gets the transport served on this socket: <see cref="EchoTransports.Tcp"/> or <see cref="EchoTransports.Udp"/>.</summary>
    public EchoTransports Transport { get; }

    /// <summary>Gets the endpoint the socket is bound to, with the port actually taken.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Returns the endpoint and the transport, as in <c>[::]:7777 (TCP)</c>.</summary>
    /// <returns>The binding as text.</returns>
    public override string ToString() => $"{EndPoint} ({(Transport == EchoTransports.Udp ? "UDP" : "TCP")})";
}
