namespace EchoNet.Cli.Bench;

/// <summary>
/// Log-linear histogram of latencies in nanoseconds: 64 linear sub-buckets per power of two, so any percentile is
/// within 1.6 % of the truth, in a fixed 30 KiB whatever the run length. One per connection; merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int BucketCount = (64 - SubBucketBits) * SubBuckets;
    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public double Sum { get; private set; }

    public void Record(long nanoseconds)
    {
        long value = Math.Max(nanoseconds, 0);
        _counts[BucketOf(value)]++;
        Count++;
        Sum += value;
        if (value > Max)
        {
            Max = value;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at <paramref name="quantile"/> (0.99 for p99), capped by the largest value recorded; 0 when empty.</summary>
    public long ValueAt(double quantile)
    {
        if (Count == 0)
        {
            return 0;
        }

        long wanted = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= wanted)
            {
                return Math.Min(MidpointOf(i), Max);
            }
        }

        return Max;
    }

    private static int BucketOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        int shift = (63 - (int)long.LeadingZeroCount(value)) - SubBucketBits;
        return ((shift + 1) * SubBuckets) + (int)((value >> shift) & (SubBuckets - 1));
    }

    private static long MidpointOf(int bucket)
    {
        if (bucket < SubBuckets)
        {
            return bucket;
        }

        int shift = (bucket / SubBuckets) - 1;
        long mantissa = (bucket % SubBuckets) + SubBuckets;
        return (mantissa << shift) + ((1L << shift) >> 1);
    }
}
