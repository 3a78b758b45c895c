namespace EchoNet.Cli.Bench;

/// <summary>
/// What one connection counted. Written by that connection only; the progress line reads the totals while it runs
/// and the report adds every connection's counters at the end.
/// </summary>
internal sealed class BenchCounters
{
    private long _echoed;

    /// <summary>Initializes a new instance that records latencies into <paramref name="latency"/>, or into one of its own.</summary>
    /// <param name="latency">A histogram the connections of one thread share (30 KiB each would be 300 MB for 10,000 connections), or null.</param>
    public BenchCounters(LatencyHistogram? latency = null) => Latency = latency ?? new LatencyHistogram();

    /// <summary>Gets the histogram latencies go to: this connection's own, or one its thread's connections share.</summary>
    public LatencyHistogram Latency { get; }

    /// <summary>Gets every verified echo so far, warm-up and drain included (for the progress line).</summary>
    public long Echoed => Volatile.Read(ref _echoed);

    /// <summary>Gets or sets verified echoes that completed within the measured time.</summary>
    public long Measured { get; set; }

    public long Mismatches { get; set; }

    public long ConnectFailures { get; set; }

    public long Resets { get; set; }

    public long EndsOfStream { get; set; }

    public long Timeouts { get; set; }

    public long Undrained { get; set; }

    public long Lost { get; set; }

    public long Late { get; set; }

    public long OtherErrors { get; set; }

    public void AddEchoed(long count) => Volatile.Write(ref _echoed, _echoed + count);

    /// <summary>Adds the counts of <paramref name="other"/>; its latencies are added separately, once per histogram.</summary>
    public void Add(BenchCounters other)
    {
        _echoed += other.Echoed;
        Measured += other.Measured;
        Mismatches += other.Mismatches;
        ConnectFailures += other.ConnectFailures;
        Resets += other.Resets;
        EndsOfStream += other.EndsOfStream;
        Timeouts += other.Timeouts;
        Undrained += other.Undrained;
        Lost += other.Lost;
        Late += other.Late;
        OtherErrors += other.OtherErrors;
    }
}
