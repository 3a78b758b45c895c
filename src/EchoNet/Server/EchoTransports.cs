namespace EchoNet;

/// <summary>
/// The transports an <see cref="EchoServer"/> serves: TCP and UDP together serve one port; a Unix domain socket is
/// served alone.
/// </summary>
[Flags]
public enum EchoTransports
{
    /// <summary>No transport. Not a valid server configuration.</summary>
    None = 0,

    /// <summary>TCP (RFC 862 §1): every byte received on a connection is sent back until the client closes.</summary>
    Tcp = 1,

    /// <summary>UDP (RFC 862 §2): every datagram received is answered with one datagram of the same bytes.</summary>
    Udp = 2,

    /// <summary>
    /// A Unix domain stream socket at <see cref="EchoServerOptions.UnixSocketPath"/>, echoed as TCP is, by any of the TCP
    /// concurrency models. Served alone: not with <see cref="Tcp"/> or <see cref="Udp"/> in the same server.
    /// </summary>
    Unix = 4,
}
