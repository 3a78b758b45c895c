namespace EchoNet.Diagnostics;

/// <summary>
/// Lets a repeated event (a rejected connection, a dropped datagram) be logged at most once per interval, with the
/// count of what happened since: a flood must not become a flood of log lines.
/// </summary>
internal sealed class LogThrottle(TimeSpan interval)
{
    private readonly long _intervalMs = (long)interval.TotalMilliseconds;
    private long _nextLogAtMs;
    private long _suppressed;

    /// <summary>Records one event; returns true, with the number of events it stands for, when this one should be logged.</summary>
    public bool ShouldLog(out long count)
    {
        long now = Environment.TickCount64;
        long next = Volatile.Read(ref _nextLogAtMs);
        if (now >= next && Interlocked.CompareExchange(ref _nextLogAtMs, now + _intervalMs, next) == next)
        {
            count = Interlocked.Exchange(ref _suppressed, 0) + 1;
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        count = 0;
        return false;
    }
}
