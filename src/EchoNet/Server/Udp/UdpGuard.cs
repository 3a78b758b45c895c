using System.Net;
using EchoNet.Diagnostics;

namespace EchoNet.Server.Udp;

/// <summary>
/// Decides, before the UDP loop answers, whether a datagram may be answered: not from a small service's port (a
/// loop), not from an address that cannot be a real source, not over its source's or the server's rate. Checks run
/// on the raw <see cref="SocketAddress"/> bytes and allocate nothing once a source is in the table. Drops are
/// counted by reason and logged in summaries. Used by the loop's thread only.
/// </summary>
internal sealed class UdpGuard
{
    private readonly ulong[] _blockedPorts = new ulong[65_536 / 64];
    private readonly LocalBroadcastAddresses _broadcasts;
    private readonly SourceRateLimiter? _perSource;
    private readonly double _globalTokensPerTick;
    private readonly double _globalBurst;
    private readonly bool _globalLimited;
    private readonly bool _rateLimitLoopback;
    private readonly UdpDropLog _log;
    private TokenBucket _global;

    public UdpGuard(UdpGuardOptions options, UdpDropCounters counters, UdpDropLog log, LocalBroadcastAddresses broadcasts, long now, long ticksPerSecond)
    {
        foreach (int port in options.BlockedSourcePorts)
        {
            _blockedPorts[port >> 6] |= 1UL << (port & 63);
        }

        _broadcasts = broadcasts;
        _rateLimitLoopback = options.RateLimitLoopback;
        if (options.PerSourceDatagramsPerSecond is int perSource)
        {
            _perSource = new SourceRateLimiter(perSource, options.PerSourceBurst, ticksPerSecond);
        }

        // The global bucket holds one second's worth, so no second answers much more than the cap.
        if (options.GlobalDatagramsPerSecond is int global)
        {
            _globalLimited = true;
            _globalTokensPerTick = (double)global / ticksPerSecond;
            _globalBurst = global;
            _global = TokenBucket.Full(global, now);
        }

        Counters = counters;
        _log = log;
    }

    public UdpDropCounters Counters { get; }

    /// <summary>Gets the per-source table, or <see langword="null"/> when there is no per-source limit.</summary>
    public SourceRateLimiter? PerSource => _perSource;

    /// <summary>Checks a received datagram's source; a drop is counted and logged here.</summary>
    public bool Admit(SocketAddress address, long now)
    {
        if (!DatagramSource.TryRead(address, out DatagramSource source, out int port))
        {
            Drop(UdpDropReason.InvalidSource, source, port, now);
            return false;
        }

        if (Check(source, port, now) is UdpDropReason reason)
        {
            Drop(reason, source, port, now);
            return false;
        }

        return true;
    }

    /// <summary>
    /// The checks, cheapest first. The per-source bucket comes before the global one, so datagrams a flooding
    /// source is refused do not use up the global budget that other sources are answered from.
    /// </summary>
    public UdpDropReason? Check(DatagramSource source, int port, long now)
    {
        if ((_blockedPorts[port >> 6] & (1UL << (port & 63))) != 0)
        {
            return UdpDropReason.BlockedPort;
        }

        if (source.IsInvalidSource || (source.IsIPv4 && _broadcasts.Contains(source.IPv4)))
        {
            return UdpDropReason.InvalidSource;
        }

        if (source.IsLoopback && !_rateLimitLoopback)
        {
            return null;
        }

        if (_perSource is not null && !_perSource.TryAdmit(source.RateLimitKey, now))
        {
            return UdpDropReason.SourceRateLimited;
        }

        if (_globalLimited && !_global.TryTake(now, _globalTokensPerTick, _globalBurst))
        {
            return UdpDropReason.GlobalRateLimited;
        }

        return null;
    }

    /// <summary>Writes the drop summaries still pending; called when the loop ends.</summary>
    public void FlushLog(long now) => _log.Flush(now);

    private void Drop(UdpDropReason reason, DatagramSource source, int port, long now)
    {
        Counters.Increment(reason);
        _log.Record(reason, source, port, now);
    }
}
