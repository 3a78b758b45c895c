namespace EchoNet.Load;

/// <summary>
/// What one connection counted. Written by that connection only; the progress line reads the totals while it runs
/// and the report adds every connection's counters at the end. Latencies go to the run's histograms, which every
/// connection shares.
/// </summary>
internal sealed class BenchCounters
{
    private long _echoed;

    public BenchCounters(LatencyRecorder latency, LatencyRecorder sendLag)
    {
        Latency = latency;
        SendLag = sendLag;
    }

    /// <summary>Gets the run's latencies: from each send (closed loop) or each intended send (rate mode) to the last byte of its echo.</summary>
    public LatencyRecorder Latency { get; }

    /// <summary>Gets how late, in rate mode, each measured message went out after its intended time: the client's own lag.</summary>
    public LatencyRecorder SendLag { get; }

    /// <summary>Gets every verified echo so far, warm-up and drain included (for the progress line).</summary>
    public long Echoed => Volatile.Read(ref _echoed);

    /// <summary>Gets or sets verified echoes that completed within the measured time (rate mode: that were due within it).</summary>
    public long Measured { get; set; }

    /// <summary>Gets or sets the measured messages of rate mode that went out more than <see cref="BenchResult.LateSend"/> after their intended time.</summary>
    public long LateSends { get; set; }

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

    /// <summary>Adds the counts of <paramref name="other"/>; the latencies are already in the shared histograms.</summary>
    public void Add(BenchCounters other)
    {
        _echoed += other.Echoed;
        Measured += other.Measured;
        LateSends += other.LateSends;
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
