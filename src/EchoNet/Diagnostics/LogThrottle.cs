namespace EchoNet.Diagnostics;

/// <summary>
/// Lets a repeated event (a rejected connection, a dropped datagram) be logged at most once per interval, with the
/// count of what happened since: a flood must not become a flood of log lines.
/// </summary>
internal sealed class LogThrottle(TimeSpan interval, TimeProvider time)
{
    private readonly long _interval = (long)(interval.TotalSeconds * time.TimestampFrequency);
    private long _nextLogAt = long.MinValue;
    private long _suppressed;

    /// <summary>Records one event; returns true, with the number of events it stands for, when this one should be logged.</summary>
    public bool ShouldLog(out long count)
    {
        long now = time.GetTimestamp();
        long next = Volatile.Read(ref _nextLogAt);
        if (now >= next && Interlocked.CompareExchange(ref _nextLogAt, now + _interval, next) == next)
        {
            count = Interlocked.Exchange(ref _suppressed, 0) + 1;
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        count = 0;
        return false;
    }
}
