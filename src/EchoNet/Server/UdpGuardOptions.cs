namespace EchoNet;

/// <summary>
/// What the UDP server checks before it answers a datagram. Echo is a classic reflector: a forged source address
/// turns it into an amplifier aimed at a victim, or into a loop with another small service (CERT CA-1996-01,
/// CVE-1999-0103, VU#417980). Dropped datagrams are counted by reason.
/// </summary>
public sealed class UdpGuardOptions
{
    /// <summary>Gets or sets whether the guard is on.</summary>
    /// <remarks>Defaults to <see langword="true"/>.</remarks>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets the source ports whose datagrams are dropped: other small services that would answer the answer.</summary>
    /// <remarks>Defaults to 0, 7 (echo), 9 (discard), 13 (daytime), 17 (qotd), 19 (chargen) and 37 (time).</remarks>
    public ISet<int> BlockedSourcePorts { get; private set; } = new HashSet<int> { 0, 7, 9, 13, 17, 19, 37 };

    /// <summary>Gets or sets how many datagrams per second one source is answered, on average.</summary>
    /// <remarks>
    /// Defaults to 1,000. <see langword="null"/> removes the limit per source. A source is an IPv4 address or an IPv6
    /// /64 prefix (one IPv6 host usually holds a whole /64). At most 16,384 sources are tracked; when the table is
    /// full, a new source replaces the one seen longest ago.
    /// </remarks>
    public int? PerSourceDatagramsPerSecond { get; set; } = 1_000;

    /// <summary>Gets or sets how many datagrams one source may send in a burst above its rate.</summary>
    /// <remarks>Defaults to 2,000. At least 1.</remarks>
    public int PerSourceBurst { get; set; } = 2_000;

    /// <summary>Gets or sets how many datagrams per second the server answers in all.</summary>
    /// <remarks>Defaults to 100,000. <see langword="null"/> removes the global limit.</remarks>
    public int? GlobalDatagramsPerSecond { get; set; } = 100_000;

    /// <summary>Gets or sets whether loopback sources (127.0.0.0/8, <c>::1</c>) are rate limited too.</summary>
    /// <remarks>
    /// Defaults to <see langword="false"/>. A host drops loopback-sourced packets that arrive from a network, so a
    /// loopback source is always a program on this host: no one can forge it to aim the echo at a victim, and a load
    /// test on loopback is not throttled. Blocked ports and invalid sources are checked for loopback all the same.
    /// </remarks>
    public bool RateLimitLoopback { get; set; }

    internal UdpGuardOptions Clone()
    {
        var clone = (UdpGuardOptions)MemberwiseClone();
        clone.BlockedSourcePorts = new HashSet<int>(BlockedSourcePorts);
        return clone;
    }

    internal void Validate()
    {
        if (BlockedSourcePorts.Any(port => port is < 0 or > 65_535))
        {
            throw new ArgumentOutOfRangeException(nameof(BlockedSourcePorts), "Every blocked source port must be from 0 to 65535.");
        }

        if (PerSourceDatagramsPerSecond is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PerSourceDatagramsPerSecond), PerSourceDatagramsPerSecond, "PerSourceDatagramsPerSecond must be at least 1, or null for no limit.");
        }

        if (PerSourceBurst < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PerSourceBurst), PerSourceBurst, "PerSourceBurst must be at least 1.");
        }

        if (GlobalDatagramsPerSecond is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(GlobalDatagramsPerSecond), GlobalDatagramsPerSecond, "GlobalDatagramsPerSecond must be at least 1, or null for no limit.");
        }
    }
}
