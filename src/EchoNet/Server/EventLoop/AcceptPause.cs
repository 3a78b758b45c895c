using EchoNet.Server.Tcp;

namespace EchoNet.Server.EventLoop;

/// <summary>
/// An event loop's pause in accepting after a failure that retrying at once would only repeat (out of descriptors or
/// kernel memory): its length, from <see cref="AcceptBackoff"/>, and when it is over, on the server's clock. Only the
/// loop's thread touches it.
/// </summary>
internal sealed class AcceptPause(TimeProvider time)
{
    private AcceptBackoff _backoff;
    private long _until = long.MinValue;

    public bool IsPaused => _until != long.MinValue;

    /// <summary>Starts a pause after one more failure in a row, and says how long it lasts.</summary>
    public TimeSpan Begin()
    {
        TimeSpan delay = _backoff.Next();
        _until = time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency);
        return delay;
    }

    /// <summary>A client was accepted: the next pause is the shortest again.</summary>
    public void Accepted() => _backoff.Reset();

    /// <summary>Ends the pause if it is over; true then, and the loop accepts again.</summary>
    public bool EndIfOver()
    {
        if (!IsPaused || time.GetTimestamp() < _until)
        {
            return false;
        }

        _until = long.MinValue;
        return true;
    }

    /// <summary>The loop's wait in milliseconds (-1: no limit), shortened to end with the pause, and at least 1.</summary>
    public int Shorten(int wait)
    {
        if (!IsPaused)
        {
            return wait;
        }

        int pause = (int)Math.Ceiling(time.GetElapsedTime(time.GetTimestamp(), _until).TotalMilliseconds);
        return wait < 0 ? Math.Max(1, pause) : Math.Clamp(pause, 1, wait);
    }
}
