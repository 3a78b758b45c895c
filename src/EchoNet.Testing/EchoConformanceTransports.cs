namespace EchoNet.Testing;

/// <summary>Which transports of an echo server <see cref="EchoConformance"/> checks.</summary>
[Flags]
public enum EchoConformanceTransports
{
    /// <summary>No transport: nothing is checked. Not a valid choice.</summary>
    None = 0,

    /// <summary>The TCP echo service (RFC 862 §1).</summary>
    Tcp = 1,

    /// <summary>The UDP echo service (RFC 862 §2).</summary>
    Udp = 2,

    /// <summary>Both services, on the same port.</summary>
    Both = Tcp | Udp,
}
