using System.Globalization;
using System.Net;
using System.Text.Json;
using EchoNet.Load;

namespace EchoNet.Cli.Bench;

/// <summary>Writes a <see cref="BenchResult"/> as a table for people or as one JSON object for machines.</summary>
internal static class BenchReport
{
    public static void WriteTable(BenchResult result, TextWriter output)
    {
        BenchSettings s = result.Settings;
        BenchCounters t = result.Total;
        bool rate = s.Mode == BenchMode.Rate;
        string mode = s.Mode switch
        {
            BenchMode.Pipeline => $"{s.Protocol} pipeline, window {s.Window}",
            BenchMode.Rate => string.Create(CultureInfo.InvariantCulture, $"{s.Protocol} open loop at {s.Rate:N0} msg/s, up to {s.Window:N0} in flight each"),
            _ => $"{s.Protocol} ping-pong",
        };
        var rows = new List<(string Name, string Value)>
        {
            ("target", s.Target is IPEndPoint ? $"{s.Host} ({s.Target})" : $"Unix socket {s.Target}"),
            ("load", $"{(s.Udp ? Counted.Of(s.Connections, "UDP client", "UDP clients") : Counted.Of(s.Connections, "connection", "connections"))} ({result.Connected:N0} up), {s.Size:N0}-byte messages, {mode}"),
            ("time", $"{result.Measured.TotalSeconds:0.###} s measured after {s.Warmup.TotalSeconds:0.###} s warm-up"),
            ("messages", rate
                ? string.Create(CultureInfo.InvariantCulture, $"{t.Measured:N0} verified ({result.MessagesPerSecond:N0} msg/s of {s.Rate:N0} asked)")
                : $"{t.Measured:N0} verified ({result.MessagesPerSecond:N0} msg/s)"),
            ("throughput", $"{result.MegabytesPerSecond:N2} MB/s each way"),
            ("latency", string.Join("   ", Percentiles.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {result.MicrosecondsAt(p.Quantile):N1} µs")))
                + string.Create(CultureInfo.InvariantCulture, $"   max {result.MaxMicroseconds:N1} µs") + (rate ? "   (from the intended send times)" : "")),
        };
        if (rate)
        {
            rows.Add(("send lag", string.Create(CultureInfo.InvariantCulture,
                $"p99 {t.SendLag.MicrosecondsAt(0.99):N1} µs   max {t.SendLag.MaxMicroseconds:N1} µs   {Counted.Of(t.LateSends, "message", "messages")} sent more than {BenchResult.LateSend.TotalMilliseconds:0} ms late")));
        }

        rows.Add(("mismatches", $"{t.Mismatches:N0}"));
        rows.Add(("client cpu", string.Create(CultureInfo.InvariantCulture, $"{result.CpuShare * 100:0}% of one core")));
        rows.Add(("errors", result.Errors == 0 ? "0" : Faults(t)));

        int width = rows.Max(row => row.Name.Length);
        foreach ((string name, string value) in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name.PadRight(width)}  {value}"));
        }
    }

    /// <summary>
    /// The warning of a rate-mode run whose client did not keep its schedule, or null when it did: latencies count
    /// from the intended send times, so a client that sends late adds its own lag to them.
    /// </summary>
    public static string? ScheduleWarning(BenchResult result)
    {
        if (result.KeptSchedule)
        {
            return null;
        }

        BenchCounters t = result.Total;
        double lateShare = t.Measured > 0 ? (double)t.LateSends / t.Measured : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"warning: the client did not keep its schedule: {result.MessagesPerSecond:N0} msg/s achieved of {result.Settings.Rate:N0} asked, {lateShare:P1} of the messages sent more than {BenchResult.LateSend.TotalMilliseconds:0} ms late (the latest by {t.SendLag.MaxMicroseconds / 1e3:N1} ms). ")
            + "The latencies include that lag; ask a lower --rate, use fewer connections per core, or look at the server's stalls if the window was full (--window).";
    }

    /// <summary>Writes the latency distribution in HdrHistogram's percentile text format (values in microseconds), which HdrHistogram's plotters read.</summary>
    public static void WriteHistogram(BenchResult result, TextWriter output) => result.Total.Latency.WritePercentiles(output);

    public static void WriteJson(BenchResult result, Stream output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        WriteFields(result, json);
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>
    /// A sweep as one object: what was swept, its values, and a step per value with the value and the fields of a
    /// single run, so each step tabulates like one.
    /// </summary>
    public static void WriteSweepJson(string swept, IReadOnlyList<(int Value, BenchResult Result)> steps, Stream output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("tool", "echonet bench");
        json.WriteString("sweep", swept);
        json.WriteStartArray("values");
        foreach ((int value, _) in steps)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
        json.WriteStartArray("steps");
        foreach ((int value, BenchResult result) in steps)
        {
            json.WriteStartObject();
            json.WriteNumber("value", value);
            WriteFields(result, json);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    // The field names of the yardstick's loadgen, so both tools' results tabulate together.
    private static void WriteFields(BenchResult result, Utf8JsonWriter json)
    {
        BenchSettings s = result.Settings;
        BenchCounters t = result.Total;
        json.WriteString("tool", "echonet bench");
        json.WriteString("proto", s.Protocol);
        json.WriteString("mode", s.Mode switch { BenchMode.Pipeline => "pipeline", BenchMode.Rate => "rate", _ => "pingpong" });
        json.WriteString("host", s.Host);
        json.WriteString("address", s.Target is IPEndPoint ip ? ip.Address.ToString() : s.Target.ToString());
        json.WriteNumber("port", (s.Target as IPEndPoint)?.Port ?? 0);
        json.WriteNumber("conns", s.Connections);
        json.WriteNumber("conns_ok", result.Connected);
        json.WriteNumber("size", s.Size);
        json.WriteNumber("window", s.Window);
        json.WriteNumber("duration_s", Math.Round(result.Measured.TotalSeconds, 3));
        json.WriteNumber("warmup_s", Math.Round(s.Warmup.TotalSeconds, 3));
        json.WriteNumber("connect_s", Math.Round(result.ConnectTime.TotalSeconds, 3));
        json.WriteNumber("msgs", t.Measured);
        json.WriteNumber("msgs_per_s", Math.Round(result.MessagesPerSecond, 1));
        if (s.Mode == BenchMode.Rate)
        {
            json.WriteNumber("rate", s.Rate);
            json.WriteNumber("send_lag_p99_us", Math.Round(t.SendLag.MicrosecondsAt(0.99), 1));
            json.WriteNumber("send_lag_max_us", Math.Round(t.SendLag.MaxMicroseconds, 1));
            json.WriteNumber("late_sends", t.LateSends);
            json.WriteBoolean("kept_schedule", result.KeptSchedule);
        }

        json.WriteNumber("mbytes_per_s", Math.Round(result.MegabytesPerSecond, 3));
        json.WriteNumber("mean_us", Math.Round(result.MeanMicroseconds, 1));
        json.WriteNumber("p50_us", Math.Round(result.MicrosecondsAt(0.50), 1));
        json.WriteNumber("p90_us", Math.Round(result.MicrosecondsAt(0.90), 1));
        json.WriteNumber("p99_us", Math.Round(result.MicrosecondsAt(0.99), 1));
        json.WriteNumber("p999_us", Math.Round(result.MicrosecondsAt(0.999), 1));
        json.WriteNumber("p9999_us", Math.Round(result.MicrosecondsAt(0.9999), 1));
        json.WriteNumber("max_us", Math.Round(result.MaxMicroseconds, 1));
        json.WriteNumber("errors", result.Errors);
        json.WriteNumber("mismatches", t.Mismatches);
        json.WriteNumber("connect_failures", t.ConnectFailures);
        json.WriteNumber("resets", t.Resets);
        json.WriteNumber("eof", t.EndsOfStream);
        json.WriteNumber("timeouts", t.Timeouts);
        json.WriteNumber("lost", t.Lost);
        json.WriteNumber("late", t.Late);
        json.WriteNumber("undrained", t.Undrained);
        json.WriteNumber("other", t.OtherErrors);
        json.WriteNumber("client_cpu_pct", Math.Round(result.CpuShare * 100, 1));
    }

    private static (string Name, double Quantile)[] Percentiles { get; } =
        [("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("p99.9", 0.999), ("p99.99", 0.9999)];

    private static string Faults(BenchCounters t)
    {
        var parts = new List<string>();
        Add(parts, t.ConnectFailures, "connect failure", "connect failures");
        Add(parts, t.Resets, "reset", "resets");
        Add(parts, t.EndsOfStream, "early end of stream", "early ends of stream");
        Add(parts, t.Timeouts, "stalled connection", "stalled connections");
        Add(parts, t.Undrained, "echo never drained", "echoes never drained");
        Add(parts, t.Lost, "datagram lost", "datagrams lost");
        Add(parts, t.OtherErrors, "other error", "other errors");
        return string.Join(", ", parts);

        static void Add(List<string> parts, long count, string one, string many)
        {
            if (count > 0)
            {
                parts.Add(Counted.Of(count, one, many));
            }
        }
    }
}
