namespace EchoNet.Cli.Bench;

/// <summary>The figures of a finished run, from every connection's counters added together.</summary>
internal sealed class BenchResult
{
    public BenchResult(BenchSettings settings, BenchCounters total, int connected, TimeSpan measured, TimeSpan connectTime)
    {
        Settings = settings;
        Total = total;
        Connected = connected;
        Measured = measured;
        ConnectTime = connectTime;
    }

    public BenchSettings Settings { get; }

    public BenchCounters Total { get; }

    public int Connected { get; }

    public TimeSpan Measured { get; }

    public TimeSpan ConnectTime { get; }

    /// <summary>Gets the CPU time this process used per second of the run (1.0 = one core busy): is the load generator the limit?</summary>
    public double CpuShare { get; init; }

    public double MessagesPerSecond => Measured > TimeSpan.Zero ? Total.Measured / Measured.TotalSeconds : 0;

    /// <summary>Gets echoed payload per second in one direction, in 10^6 bytes, as the reference load generator counts it.</summary>
    public double MegabytesPerSecond => MessagesPerSecond * Settings.Size / 1e6;

    /// <summary>Gets every fault but mismatches: connections that failed, reset, ended, timed out, and echoes lost or never drained.</summary>
    public long Errors => Total.ConnectFailures + Total.Resets + Total.EndsOfStream + Total.Timeouts + Total.Undrained + Total.Lost + Total.OtherErrors;

    public bool Clean => Errors == 0 && Total.Mismatches == 0 && Connected > 0;

    public double MicrosecondsAt(double quantile) => Total.Latency.ValueAt(quantile) / 1e3;

    public double MeanMicroseconds => Total.Latency.Count > 0 ? Total.Latency.Sum / Total.Latency.Count / 1e3 : 0;

    public double MaxMicroseconds => Total.Latency.Max / 1e3;
}
