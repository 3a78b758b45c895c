using System.Net.Security;

namespace EchoNet.Testing;

/// <summary>What <see cref="EchoConformance.RunAsync"/> checks and how long each check may take.</summary>
public sealed class EchoConformanceOptions
{
    /// <summary>The largest UDP payload over IPv4: 65,535 minus the 20-byte IP header and the 8-byte UDP header.</summary>
    public const int MaxIPv4DatagramSize = 65_507;

    /// <summary>Gets or sets the transports to check.</summary>
    /// <remarks>
    /// Defaults to <see cref="EchoConformanceTransports.Tcp"/>. Against a Unix domain socket the TCP checks run over the
    /// socket, and asking for UDP is an error.
    /// </remarks>
    public EchoConformanceTransports Transports { get; set; } = EchoConformanceTransports.Tcp;

    /// <summary>
    /// Gets or sets how the TCP checks authenticate the server over TLS, or <see langword="null"/> to check plain TCP. Set,
    /// every TCP check runs over TLS, and a first check (<c>tls.handshake</c>) reports the protocol and cipher agreed.
    /// </summary>
    /// <remarks>
    /// Defaults to <see langword="null"/>. The server's certificate is verified as
    /// <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/> says, or against the system's trust
    /// store for <see cref="SslClientAuthenticationOptions.TargetHost"/> (the endpoint's host name or address when unset,
    /// which is also sent for SNI). TLS applies to TCP only: checking UDP with it set is an error.
    /// </remarks>
    public SslClientAuthenticationOptions? Tls { get; set; }

    /// <summary>Gets or sets how long one check may take, from connect to the last byte, before it fails.</summary>
    /// <remarks>Defaults to 10 seconds. More than zero.</remarks>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long to wait for the answer to one datagram before sending it again.</summary>
    /// <remarks>
    /// Defaults to 1 second. UDP may lose a datagram, so a check sends it up to <see cref="DatagramAttempts"/> times;
    /// an answer of the wrong size or content fails at once.
    /// </remarks>
    public TimeSpan DatagramTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many times a datagram is sent before its check fails for want of an answer.</summary>
    /// <remarks>Defaults to 3. At least 1.</remarks>
    public int DatagramAttempts { get; set; } = 3;

    /// <summary>Gets or sets the sizes of the datagrams the UDP checks send, one check per size.</summary>
    /// <remarks>
    /// Defaults to 1, 1,500 (one Ethernet frame), 8,193 (past an 8 KiB buffer), 65,507 (the IPv4 maximum) and 0, in
    /// that order: some servers stop answering altogether after an empty datagram (socat does), so it goes last, where
    /// it cannot hide the other results. Each from 0 to 65,527 (the IPv6 maximum).
    /// </remarks>
    public IReadOnlyList<int> DatagramSizes { get; set; } = [1, 1_500, 8_193, MaxIPv4DatagramSize, 0];

    /// <summary>Gets or sets how many bytes the bulk TCP check sends in random chunks.</summary>
    /// <remarks>Defaults to 1,048,576 (1 MiB). At least 1.</remarks>
    public int BulkBytes { get; set; } = 1_048_576;

    /// <summary>Gets or sets how many clients the concurrency check connects at once.</summary>
    /// <remarks>Defaults to 10. At least 2.</remarks>
    public int ConcurrentClients { get; set; } = 10;

    /// <summary>Gets or sets the seed of the random chunk sizes and payloads, so a failing run can be repeated.</summary>
    /// <remarks>Defaults to 862.</remarks>
    public int Seed { get; set; } = 862;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    internal void Validate()
    {
        if (Transports == EchoConformanceTransports.None || (Transports & ~EchoConformanceTransports.Both) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Transports), Transports, "Transports must be Tcp, Udp or Both.");
        }

        if (Tls is not null && Transports.HasFlag(EchoConformanceTransports.Udp))
        {
            throw new ArgumentException("Tls applies to the TCP checks only: check UDP in a run without Tls.", nameof(Tls));
        }

        if (CheckTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckTimeout), CheckTimeout, "CheckTimeout must be more than zero.");
        }

        if (DatagramTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DatagramTimeout), DatagramTimeout, "DatagramTimeout must be more than zero.");
        }

        if (DatagramAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DatagramAttempts), DatagramAttempts, "DatagramAttempts must be at least 1.");
        }

        ArgumentNullException.ThrowIfNull(DatagramSizes, nameof(DatagramSizes));
        foreach (int size in DatagramSizes)
        {
            if (size is < 0 or > 65_527)
            {
                throw new ArgumentOutOfRangeException(nameof(DatagramSizes), size, "Every datagram size must be from 0 to 65,527 bytes.");
            }
        }

        if (BulkBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BulkBytes), BulkBytes, "BulkBytes must be at least 1.");
        }

        if (ConcurrentClients < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(ConcurrentClients), ConcurrentClients, "ConcurrentClients must be at least 2.");
        }
    }
}
