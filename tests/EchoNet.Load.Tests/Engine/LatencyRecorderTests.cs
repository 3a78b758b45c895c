namespace EchoNet.Load.Tests.Engine;

/// <summary>Latencies in the HDR histogram: percentiles to three digits, and HdrHistogram's own text output.</summary>
public sealed class LatencyRecorderTests
{
    [Fact]
    public void Percentiles_OfOneToTenThousandMicroseconds_AreWithinATenthOfAPercent()
    {
        var recorder = new LatencyRecorder();
        for (long microseconds = 1; microseconds <= 10_000; microseconds++)
        {
            recorder.Record(microseconds * 1_000);
        }

        Assert.Equal(10_000, recorder.Count);
        Assert.Equal(5_000, recorder.MicrosecondsAt(0.50), tolerance: 5);
        Assert.Equal(9_900, recorder.MicrosecondsAt(0.99), tolerance: 10);
        Assert.Equal(9_999, recorder.MicrosecondsAt(0.9999), tolerance: 10);
        Assert.Equal(10_000, recorder.MaxMicroseconds, tolerance: 10);
        Assert.Equal(5_000.5, recorder.MeanMicroseconds, tolerance: 5);
    }

    [Fact]
    public void Record_BeyondAnHour_CountsAsAnHour()
    {
        var recorder = new LatencyRecorder();

        recorder.Record(long.MaxValue);
        recorder.Record(-5);

        Assert.Equal(2, recorder.Count);
        Assert.Equal(3_600e6, recorder.MaxMicroseconds, tolerance: 3_600e6 * 0.005);
    }

    [Fact]
    public void WritePercentiles_WritesHdrHistogramsTextFormat_InMicroseconds()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(250_000_000);
        recorder.Record(50_000);
        using var text = new StringWriter();

        recorder.WritePercentiles(text);

        string[] lines = text.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^Value\s+Percentile\s+TotalCount\s+1/\(1-Percentile\)$", lines[0]);
        Assert.Matches(@"^50\.\d+\s+0\.0+\s+1\s+1\.00$", lines[1]);
        Assert.Contains(lines, line => line.StartsWith("#[Max", StringComparison.Ordinal) && line.Contains("250", StringComparison.Ordinal));
    }
}
