namespace EchoNet.Server.Tcp;

/// <summary>
/// How long an accept loop waits after running out of descriptors or kernel memory: 5 ms, doubling with each failure
/// in a row up to a second, and back to nothing once a client is accepted. Retrying at once would spin.
/// </summary>
internal struct AcceptBackoff
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(1);

    private TimeSpan _current;

    /// <summary>Returns the wait after one more failure in a row.</summary>
    public TimeSpan Next() => _current = _current == TimeSpan.Zero ? First : TimeSpan.FromTicks(Math.Min(Longest.Ticks, _current.Ticks * 2));

    /// <summary>A client was accepted: the next failure waits the least again.</summary>
    public void Reset() => _current = TimeSpan.Zero;
}
