namespace EchoNet.Diagnostics;

/// <summary>
/// Datagrams the UDP guard dropped, by reason, since the server started. The loop's thread writes; any thread may read.
/// </summary>
internal sealed class UdpDropCounters
{
    private readonly long[] _counts = new long[Enum.GetValues<UdpDropReason>().Length];

    public long BlockedPort => this[UdpDropReason.BlockedPort];

    public long InvalidSource => this[UdpDropReason.InvalidSource];

    public long SourceRateLimited => this[UdpDropReason.SourceRateLimited];

    public long GlobalRateLimited => this[UdpDropReason.GlobalRateLimited];

    public long Total
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _counts.Length; i++)
            {
                total += Interlocked.Read(ref _counts[i]);
            }

            return total;
        }
    }

    public long this[UdpDropReason reason] => Interlocked.Read(ref _counts[(int)reason]);

    public void Increment(UdpDropReason reason) => Interlocked.Increment(ref _counts[(int)reason]);
}
