namespace EchoNet;

/// <summary>The transports an <see cref="EchoServer"/> serves; both together serve one port on TCP and UDP.</summary>
[Flags]
public enum EchoTransports
{
    /// <summary>No transport. Not a valid server configuration.</summary>
    None = 0,

    /// <summary>TCP (RFC 862 §1): every byte received on a connection is sent back until the client closes.</summary>
    Tcp = 1,

    /// <summary>UDP (RFC 862 §2): every datagram received is answered with one datagram of the same bytes.</summary>
    Udp = 2,
}
