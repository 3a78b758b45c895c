using HdrHistogram;

namespace EchoNet.Load;

/// <summary>
/// Durations of one run in nanoseconds, in an HDR histogram: three significant digits (within 0.1 %) from 1 ns to an
/// hour, in a fixed 256 KiB whatever the run length. Every connection of the run records into the same one, from any
/// thread.
/// </summary>
internal sealed class LatencyRecorder
{
    private const long Highest = 3_600L * 1_000_000_000;
    private const double NanosecondsPerMicrosecond = 1e3;
    private readonly LongConcurrentHistogram _histogram = new(1, Highest, 3);

    public long Count => _histogram.TotalCount;

    public double MaxMicroseconds => Count > 0 ? _histogram.GetMaxValue() / NanosecondsPerMicrosecond : 0;

    public double MeanMicroseconds => Count > 0 ? _histogram.GetMean() / NanosecondsPerMicrosecond : 0;

    /// <summary>Records one duration; one above an hour counts as an hour.</summary>
    public void Record(long nanoseconds) => _histogram.RecordValue(Math.Clamp(nanoseconds, 0, Highest));

    /// <summary>The duration at <paramref name="quantile"/> (0.99 for p99) in microseconds; 0 when nothing was recorded.</summary>
    public double MicrosecondsAt(double quantile) => Count > 0 ? _histogram.GetValueAtPercentile(quantile * 100) / NanosecondsPerMicrosecond : 0;

    /// <summary>Writes the percentile distribution in HdrHistogram's text format, values in microseconds, for plotting.</summary>
    public void WritePercentiles(TextWriter output) =>
        _histogram.OutputPercentileDistribution(output, outputValueUnitScalingRatio: NanosecondsPerMicrosecond);
}
