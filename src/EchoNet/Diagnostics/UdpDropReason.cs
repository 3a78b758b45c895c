namespace EchoNet.Diagnostics;

/// <summary>Why the UDP guard dropped a datagram; the value of the metric's reason tag.</summary>
internal enum UdpDropReason
{
    /// <summary>The source port is one of the small services, which would answer the answer (a loop).</summary>
    BlockedPort,

    /// <summary>The source is unspecified, multicast, broadcast, or not an IP address.</summary>
    InvalidSource,

    /// <summary>The source address (IPv6: its /64) sent faster than its token bucket allows.</summary>
    SourceRateLimited,

    /// <summary>The server as a whole is answering as many datagrams per second as it may.</summary>
    GlobalRateLimited,
}
