using System.Collections.Concurrent;
using System.Text;

namespace EchoNet.Soak;

/// <summary>What the soak did: operations completed and bytes verified per scenario, errors per scenario and kind.</summary>
internal sealed class SoakTally
{
    private readonly ConcurrentDictionary<string, long> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _bytesVerified;
    private long _mismatches;

    /// <summary>Gets how many echoes came back with a wrong byte: the one error that must never happen.</summary>
    public long Mismatches => Interlocked.Read(ref _mismatches);

    public long Operations => _operations.Values.Sum();

    public void Completed(string scenario) => _operations.AddOrUpdate(scenario, 1, static (_, n) => n + 1);

    public void Verified(long bytes) => Interlocked.Add(ref _bytesVerified, bytes);

    public void Failed(string scenario, string kind)
    {
        _errors.AddOrUpdate($"{scenario}: {kind}", 1, static (_, n) => n + 1);
        if (kind == EchoMismatchException.Kind)
        {
            Interlocked.Increment(ref _mismatches);
        }
    }

    public string Report(TimeSpan elapsed)
    {
        var report = new StringBuilder();
        report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"elapsed            {elapsed.TotalSeconds:F0} s");
        report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"operations         {Operations} ({Operations / Math.Max(1, elapsed.TotalSeconds):F0}/s)");
        foreach ((string scenario, long count) in _operations.OrderBy(static pair => pair.Key, StringComparer.Ordinal))
        {
            report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {scenario,-22} {count}");
        }

        report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"bytes verified     {Interlocked.Read(ref _bytesVerified) / (1024.0 * 1024.0):F1} MiB");
        report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"errors             {_errors.Values.Sum()}");
        foreach ((string kind, long count) in _errors.OrderBy(static pair => pair.Key, StringComparer.Ordinal))
        {
            report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {kind,-40} {count}");
        }

        report.Append(System.Globalization.CultureInfo.InvariantCulture, $"mismatches         {Mismatches}");
        return report.ToString();
    }
}
