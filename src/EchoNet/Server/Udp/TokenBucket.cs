namespace EchoNet.Server.Udp;

/// <summary>
/// A token bucket: it holds at most <c>burst</c> tokens, gains <c>tokensPerTick</c> per clock tick, and each admitted
/// datagram takes one. The rate and burst are passed in rather than stored, so a table of buckets that share them
/// costs 16 bytes per bucket.
/// </summary>
internal struct TokenBucket
{
    private double _tokens;
    private long _updatedAt;

    /// <summary>A bucket holding <paramref name="burst"/> tokens at <paramref name="now"/>: a new source may burst at once.</summary>
    public static TokenBucket Full(double burst, long now) => new() { _tokens = burst, _updatedAt = now };

    /// <summary>Gets the tokens left after the last update, for tests.</summary>
    public readonly double Tokens => _tokens;

    /// <summary>Refills for the time passed since the last call, then takes one token if there is one.</summary>
    public bool TryTake(long now, double tokensPerTick, double burst)
    {
        long elapsed = now - _updatedAt;
        if (elapsed > 0)
        {
            _tokens = Math.Min(burst, _tokens + (elapsed * tokensPerTick));
            _updatedAt = now;
        }

        if (_tokens >= 1)
        {
            _tokens -= 1;
            return true;
        }

        return false;
    }
}
