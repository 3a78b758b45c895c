using System.Diagnostics;
using System.Globalization;
using EchoNet.Load;

namespace EchoNet.Cli.Bench;

/// <summary>The live line on a terminal's stderr: phase, rate over the last second, faults so far. Silent when stderr is redirected.</summary>
internal sealed class ProgressLine
{
    private readonly TextWriter _error;
    private readonly bool _enabled;
    private long _lastEchoed;
    private long _lastAt = Stopwatch.GetTimestamp();

    public ProgressLine(TextWriter error, bool enabled)
    {
        _error = error;
        _enabled = enabled;
    }

    public void Update(BenchProgress progress)
    {
        (BenchClock clock, long echoed, long faults, int active) = progress;
        if (!_enabled)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        double seconds = Stopwatch.GetElapsedTime(_lastAt, now).TotalSeconds;
        double rate = seconds > 0 ? (echoed - _lastEchoed) / seconds : 0;
        _lastEchoed = echoed;
        _lastAt = now;
        string phase = now < clock.MeasureFrom
            ? "warm-up"
            : now < clock.MeasureUntil
                ? string.Create(CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(clock.MeasureFrom, now).TotalSeconds,5:0.0} s / {clock.Measured.TotalSeconds:0.#} s")
                : "draining";
        _error.Write(string.Create(
            CultureInfo.InvariantCulture,
            $"\r{phase,-16} {rate,12:N0} msg/s  {Counted.Of(active, "connection", "connections"),18}  {Counted.Of(faults, "fault", "faults")}   "));
    }

    public void Clear()
    {
        if (_enabled)
        {
            _error.Write("\r" + new string(' ', 79) + "\r");
        }
    }
}
