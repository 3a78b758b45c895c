using System.Diagnostics;

namespace EchoNet.Load;

/// <summary>The figures of a finished run, from every connection's counters added together.</summary>
internal sealed class BenchResult
{
    /// <summary>How late after its intended time a message of rate mode may go out before it counts as sent late.</summary>
    public static readonly TimeSpan LateSend = TimeSpan.FromMilliseconds(1);

    /// <summary>The share of measured messages sent late, or of the asked rate missed, above which the client did not keep its schedule.</summary>
    public const double ScheduleTolerance = 0.01;

    public BenchResult(BenchSettings settings, BenchCounters total, int connected, TimeSpan measured, TimeSpan connectTime)
    {
        Settings = settings;
        Total = total;
        Connected = connected;
        Measured = measured;
        ConnectTime = connectTime;
    }

    internal static long LateSendTicks { get; } = (long)(LateSend.TotalSeconds * Stopwatch.Frequency);

    public BenchSettings Settings { get; }

    public BenchCounters Total { get; }

    public int Connected { get; }

    public TimeSpan Measured { get; }

    public TimeSpan ConnectTime { get; }

    /// <summary>Gets the CPU time this process used per second of the run (1.0 = one core busy): is the load generator the limit?</summary>
    public double CpuShare { get; init; }

    /// <summary>Gets verified echoes per second of measured time: in rate mode, the achieved rate beside the asked one.</summary>
    public double MessagesPerSecond => Measured > TimeSpan.Zero ? Total.Measured / Measured.TotalSeconds : 0;

    /// <summary>Gets echoed payload per second in one direction, in 10^6 bytes, as the reference load generator counts it.</summary>
    public double MegabytesPerSecond => MessagesPerSecond * Settings.Size / 1e6;

    /// <summary>Gets every fault but mismatches: connections that failed, reset, ended, timed out, and echoes lost or never drained.</summary>
    public long Errors => Total.ConnectFailures + Total.Resets + Total.EndsOfStream + Total.Timeouts + Total.Undrained + Total.Lost + Total.OtherErrors;

    public bool Clean => Errors == 0 && Total.Mismatches == 0 && Connected > 0;

    /// <summary>
    /// Gets a value indicating whether, in rate mode, the client kept its schedule: at most 1 % of the measured messages
    /// went out more than <see cref="LateSend"/> late, and the achieved rate is within 1 % of the asked one.
    /// Always true in a closed loop, which has no schedule.
    /// </summary>
    public bool KeptSchedule => Settings.Mode != BenchMode.Rate
        || (Total.LateSends <= ScheduleTolerance * Math.Max(1, Total.Measured) && MessagesPerSecond >= (1 - ScheduleTolerance) * Settings.Rate);

    public double MicrosecondsAt(double quantile) => Total.Latency.MicrosecondsAt(quantile);

    public double MeanMicroseconds => Total.Latency.MeanMicroseconds;

    public double MaxMicroseconds => Total.Latency.MaxMicroseconds;
}
