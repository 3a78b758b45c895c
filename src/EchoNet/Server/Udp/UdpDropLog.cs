using System.Net;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Udp;

/// <summary>
/// Logs the guard's drops without flooding the log: the first drop of a reason at once, then at most one summary
/// line per reason per <c>interval</c>, with the count since the previous line and the last source as an address.
/// What is still pending when the server stops is written by <see cref="Flush"/>. Used by the loop's thread only.
/// </summary>
internal sealed class UdpDropLog(ILogger logger, long intervalTicks, long ticksPerSecond)
{
    private readonly Pending[] _pending = new Pending[Enum.GetValues<UdpDropReason>().Length];

    public void Record(UdpDropReason reason, DatagramSource source, int port, long now)
    {
        ref Pending pending = ref _pending[(int)reason];
        if (pending.Count == 0)
        {
            pending.Since = now;
        }

        pending.Count++;
        pending.LastSource = source;
        pending.LastPort = port;
        if (!pending.Logged || now - pending.LoggedAt >= intervalTicks)
        {
            Write(reason, ref pending, now);
        }
    }

    /// <summary>Writes every summary still pending.</summary>
    public void Flush(long now)
    {
        for (int i = 0; i < _pending.Length; i++)
        {
            if (_pending[i].Count > 0)
            {
                Write((UdpDropReason)i, ref _pending[i], now);
            }
        }
    }

    private void Write(UdpDropReason reason, ref Pending pending, long now)
    {
        double seconds = Math.Round((double)(now - pending.Since) / ticksPerSecond, 1);
        IPAddress source = pending.LastSource.ToIPAddress();
        switch (reason)
        {
            case UdpDropReason.BlockedPort:
                Log.UdpBlockedPortDropped(logger, pending.Count, seconds, source, pending.LastPort);
                break;
            case UdpDropReason.InvalidSource:
                Log.UdpInvalidSourceDropped(logger, pending.Count, seconds, source, pending.LastPort);
                break;
            case UdpDropReason.SourceRateLimited:
                Log.UdpSourceRateLimited(logger, pending.Count, seconds, source);
                break;
            default:
                Log.UdpGlobalRateLimited(logger, pending.Count, seconds, source);
                break;
        }

        pending.Count = 0;
        pending.Logged = true;
        pending.LoggedAt = now;
    }

    private struct Pending
    {
        public long Count;
        public long Since;
        public bool Logged;
        public long LoggedAt;
        public DatagramSource LastSource;
        public int LastPort;
    }
}
