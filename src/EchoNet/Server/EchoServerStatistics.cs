namespace EchoNet;

/// <summary>A snapshot of what an <see cref="EchoServer"/> has done since it started; the same figures the <c>EchoNet</c> meter reports.</summary>
/// <param name="ActiveConnections">TCP connections open now.</param>
/// <param name="AcceptedConnections">TCP connections admitted since the start.</param>
/// <param name="RejectedConnections">TCP connections refused by <see cref="EchoServerOptions.MaxConnections"/> or <see cref="EchoServerOptions.MaxConnectionsPerSource"/>.</param>
/// <param name="TimedOutConnections">TCP connections the server closed for <see cref="EchoServerOptions.IdleTimeout"/> or <see cref="EchoServerOptions.SendStallTimeout"/>.</param>
/// <param name="BytesReceived">Bytes received, TCP and UDP.</param>
/// <param name="BytesSent">Bytes sent back, TCP and UDP.</param>
/// <param name="DatagramsReceived">UDP datagrams received.</param>
/// <param name="DatagramsSent">UDP datagrams sent back.</param>
/// <param name="DatagramsDropped">UDP datagrams the guard dropped (see <see cref="EchoServerOptions.UdpGuard"/>).</param>
public readonly record struct EchoServerStatistics(
    long ActiveConnections,
    long AcceptedConnections,
    long RejectedConnections,
    long TimedOutConnections,
    long BytesReceived,
    long BytesSent,
    long DatagramsReceived,
    long DatagramsSent,
    long DatagramsDropped);
