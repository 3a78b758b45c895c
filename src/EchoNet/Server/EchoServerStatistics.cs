namespace EchoNet;

/// <summary>
/// A snapshot of what an <see cref="EchoServer"/> has done since it started; the same figures the <c>EchoNet</c> meter
/// reports. New figures may be added: read the ones you need by name.
/// </summary>
public readonly record struct EchoServerStatistics
{
    /// <summary>Gets the TCP connections open now.</summary>
    public long ActiveConnections { get; init; }

    /// <summary>Gets the TCP connections admitted since the start.</summary>
    public long AcceptedConnections { get; init; }

    /// <summary>Gets the TCP connections refused by <see cref="EchoServerOptions.MaxConnections"/> or <see cref="EchoServerOptions.MaxConnectionsPerSource"/>.</summary>
    public long RejectedConnections { get; init; }

    /// <summary>Gets the TCP connections the server closed for <see cref="EchoServerOptions.IdleTimeout"/> or <see cref="EchoServerOptions.SendStallTimeout"/>.</summary>
    public long TimedOutConnections { get; init; }

    /// <summary>Gets the TLS handshakes that succeeded (see <see cref="EchoServerOptions.Tls"/>).</summary>
    public long TlsHandshakes { get; init; }

    /// <summary>
    /// Gets the TLS handshakes that failed: plain text on the TLS port, no protocol or cipher in common, a client that
    /// rejected the certificate, or no handshake within <see cref="EchoServerOptions.TlsHandshakeTimeout"/>. Each is an
    /// ordinary close of its connection.
    /// </summary>
    public long TlsHandshakesFailed { get; init; }

    /// <summary>Gets the bytes received, TCP and UDP.</summary>
    public long BytesReceived { get; init; }

    /// <summary>Gets the bytes sent back, TCP and UDP.</summary>
    public long BytesSent { get; init; }

    /// <summary>Gets the UDP datagrams received.</summary>
    public long DatagramsReceived { get; init; }

    /// <summary>Gets the UDP datagrams sent back.</summary>
    public long DatagramsSent { get; init; }

    /// <summary>Gets the UDP datagrams the guard dropped (see <see cref="EchoServerOptions.UdpGuard"/>).</summary>
    public long DatagramsDropped { get; init; }
}
