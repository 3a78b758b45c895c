using System.Diagnostics;

namespace EchoNet.Load;

/// <summary>The phases of a run in <see cref="Stopwatch"/> ticks: warm-up until <see cref="MeasureFrom"/>, measured until <see cref="MeasureUntil"/>, then drain.</summary>
internal sealed class BenchClock
{
    private long _measureUntil;

    public BenchClock(TimeSpan warmup, TimeSpan duration)
    {
        Started = Stopwatch.GetTimestamp();
        MeasureFrom = Started + ToTicks(warmup);
        _measureUntil = MeasureFrom + ToTicks(duration);
    }

    /// <summary>Gets when the run started: the open-loop schedule counts from here.</summary>
    public long Started { get; }

    public long MeasureFrom { get; }

    public long MeasureUntil => Volatile.Read(ref _measureUntil);

    public static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static long ToNanoseconds(long ticks) => Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * (1e9 / Stopwatch.Frequency));

    /// <summary>Ends the measured time now (on Ctrl+C), so the connections stop sending and drain.</summary>
    public void StopEarly()
    {
        long now = Stopwatch.GetTimestamp();
        if (now < MeasureUntil)
        {
            Volatile.Write(ref _measureUntil, Math.Max(now, MeasureFrom));
        }
    }

    /// <summary>Gets how long was measured: from the end of the warm-up to the end of the measured time.</summary>
    public TimeSpan Measured => Stopwatch.GetElapsedTime(MeasureFrom, MeasureUntil);
}
