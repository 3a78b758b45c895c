using System.Globalization;
using EchoNet.Cli.Bench;
using EchoNet.Load;

namespace EchoNet.Cli.Commands;

/// <summary><c>bench --sweep</c>: the same load once per value of connections or size, a row each, and optionally a chart.</summary>
internal static class Sweep
{
    public static bool TryParse(string text, out string swept, out int[] values)
    {
        swept = "";
        values = [];
        string[] parts = text.Split('=', 2);
        if (parts.Length != 2 || parts[0] is not ("connections" or "size"))
        {
            return false;
        }

        var parsed = new List<int>();
        foreach (string item in parts[1].Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
            {
                return false;
            }

            parsed.Add(value);
        }

        swept = parts[0];
        values = [.. parsed];
        return values.Length > 0;
    }

    /// <summary>Runs every step; with <paramref name="json"/>, prints one JSON document at the end instead of a row per step.</summary>
    public static async Task<int> RunAsync(BenchSettings settings, string swept, int[] values, FileInfo? chart, bool json, CancellationToken stop)
    {
        var points = new List<(int Value, BenchResult Result)>();
        if (!json)
        {
            await Console.Out.WriteLineAsync($"{swept,12} {"msg/s",12} {"MB/s",9} {"p50 µs",9} {"p99 µs",9} {"faults",7}");
        }

        foreach (int value in values)
        {
            BenchSettings one = swept == "connections" ? settings with { Connections = value } : settings with { Size = value };
            BenchResult result = await new BenchRunner(one).RunAsync(stop);
            points.Add((value, result));
            if (!json)
            {
                await Console.Out.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{value,12} {result.MessagesPerSecond,12:N0} {result.MegabytesPerSecond,9:F1} {result.MicrosecondsAt(0.5),9:F1} {result.MicrosecondsAt(0.99),9:F1} {result.Errors + result.Total.Mismatches,7}"));
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }
        }

        if (json)
        {
            using Stream stdout = Console.OpenStandardOutput();
            BenchReport.WriteSweepJson(swept, points, stdout);
        }

        if (chart is not null)
        {
            await File.WriteAllTextAsync(chart.FullName, SweepChart.Render(swept, points), CancellationToken.None);
            await Console.Error.WriteLineAsync($"Chart written to {chart.FullName}");
        }

        return points.All(p => p.Result.Clean) ? ExitCodes.Success : ExitCodes.Failure;
    }
}
