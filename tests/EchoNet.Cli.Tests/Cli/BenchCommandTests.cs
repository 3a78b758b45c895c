using System.Globalization;
using System.Net;
using System.Text.Json;
using EchoNet.Cli.Tests.BrokenServers;

namespace EchoNet.Cli.Tests.Cli;

/// <summary><c>echonet bench</c> as a process: short runs that end by themselves and verify every byte.</summary>
public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("pingpong")]
    [InlineData("pipeline")]
    public async Task Bench_Json_AgainstEchoNetServer_ReportsMessagesAndZeroMismatches(string mode)
    {
        await using EchoServer server = new EchoServerBuilder().BindTo(IPAddress.Loopback).Listen(0);
        string port = server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);

        (int exitCode, EchonetProcess bench) = await EchonetProcess.RunAsync(
            "bench", "127.0.0.1", port, "--connections", "4", "--size", "1000", "--duration", "0.5", "--warmup", "0.1", "--mode", mode, "--json");
        using (bench)
        {
            Assert.True(exitCode == 0, $"exit {exitCode}; stdout: {bench.Stdout} stderr: {bench.Stderr}");
            using JsonDocument json = JsonDocument.Parse(bench.Stdout);
            JsonElement result = json.RootElement;
            Assert.Equal(mode, result.GetProperty("mode").GetString());
            Assert.Equal(4, result.GetProperty("conns_ok").GetInt32());
            Assert.Equal(0, result.GetProperty("mismatches").GetInt64());
            Assert.Equal(0, result.GetProperty("errors").GetInt64());
            Assert.True(result.GetProperty("msgs").GetInt64() > 0, bench.Stdout);
            Assert.True(result.GetProperty("p99_us").GetDouble() <= result.GetProperty("max_us").GetDouble(), bench.Stdout);
        }
    }

    [Fact]
    public async Task Bench_Udp_AgainstEchoNetServer_ReportsZeroMismatches()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().BindTo(IPAddress.Loopback).Listen(0);
        string port = server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);

        (int exitCode, EchonetProcess bench) = await EchonetProcess.RunAsync(
            "bench", "127.0.0.1", port, "--udp", "-c", "2", "-s", "1500", "-d", "0.5", "-w", "0.1", "--json");
        using (bench)
        {
            using JsonDocument json = JsonDocument.Parse(bench.Stdout);
            Assert.Equal("udp", json.RootElement.GetProperty("proto").GetString());
            Assert.Equal(0, json.RootElement.GetProperty("mismatches").GetInt64());
            Assert.True(json.RootElement.GetProperty("msgs").GetInt64() > 0, bench.Stdout);
            Assert.True(exitCode == 0, $"exit {exitCode}; stdout: {bench.Stdout} stderr: {bench.Stderr}");
        }
    }

    [Fact]
    public async Task Bench_Sweep_PrintsARowPerValue_AndWritesTheChart()
    {
        await using EchoServer server = new EchoServerBuilder().BindTo(IPAddress.Loopback).Listen(0);
        string port = server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);
        string chart = Path.Combine(Path.GetTempPath(), $"echonet-sweep-{Guid.NewGuid():N}.svg");
        try
        {
            (int exitCode, EchonetProcess bench) = await EchonetProcess.RunAsync(
                "bench", "127.0.0.1", port, "--sweep", "connections=1,3", "-d", "0.3", "-w", "0.1", "--chart", chart);
            using (bench)
            {
                Assert.True(exitCode == 0, $"exit {exitCode}; stdout: {bench.Stdout} stderr: {bench.Stderr}");
                string[] rows = bench.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(3, rows.Length);
                Assert.Matches(@"^\s+1\s+[\d,]+\s", rows[1]);
                Assert.Matches(@"^\s+3\s+[\d,]+\s", rows[2]);
            }

            string svg = await File.ReadAllTextAsync(chart, TestContext.Current.CancellationToken);
            Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
            Assert.Equal(2, svg.Split("<polyline").Length - 1);
        }
        finally
        {
            File.Delete(chart);
        }
    }

    [Fact]
    public async Task Bench_SweepJson_PrintsOneDocumentWithAStepPerValue()
    {
        await using EchoServer server = new EchoServerBuilder().BindTo(IPAddress.Loopback).Listen(0);
        string port = server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);

        (int exitCode, EchonetProcess bench) = await EchonetProcess.RunAsync(
            "bench", "127.0.0.1", port, "--sweep", "connections=1,3", "-d", "0.3", "-w", "0.1", "--json");
        using (bench)
        {
            Assert.True(exitCode == 0, $"exit {exitCode}; stdout: {bench.Stdout} stderr: {bench.Stderr}");
            using JsonDocument json = JsonDocument.Parse(bench.Stdout);
            JsonElement sweep = json.RootElement;
            Assert.Equal("connections", sweep.GetProperty("sweep").GetString());
            Assert.Equal([1, 3], sweep.GetProperty("values").EnumerateArray().Select(v => v.GetInt32()));
            JsonElement[] steps = [.. sweep.GetProperty("steps").EnumerateArray()];
            Assert.Equal(2, steps.Length);
            foreach ((JsonElement step, int connections) in steps.Zip([1, 3]))
            {
                Assert.Equal(connections, step.GetProperty("value").GetInt32());
                Assert.Equal(connections, step.GetProperty("conns").GetInt32());
                Assert.Equal(connections, step.GetProperty("conns_ok").GetInt32());
                Assert.Equal(0, step.GetProperty("mismatches").GetInt64());
                Assert.True(step.GetProperty("msgs").GetInt64() > 0, bench.Stdout);
            }
        }
    }

    [Fact]
    public async Task Bench_AgainstCorruptingServer_ReportsMismatchesAndExitsOne()
    {
        await using var server = new CorruptingEchoServer();
        string port = server.EndPoint.Port.ToString(CultureInfo.InvariantCulture);

        (int exitCode, EchonetProcess bench) = await EchonetProcess.RunAsync(
            "bench", "127.0.0.1", port, "-c", "2", "-s", "600", "-d", "0.5", "-w", "0", "--json");
        using (bench)
        {
            Assert.Equal(1, exitCode);
            using JsonDocument json = JsonDocument.Parse(bench.Stdout);
            Assert.Equal(2, json.RootElement.GetProperty("mismatches").GetInt64());
        }
    }

    [Fact]
    public async Task Bench_Table_NamesEveryFigure()
    {
        await using EchoServer server = new EchoServerBuilder().UseThreadPerClient().BindTo(IPAddress.Loopback).Listen(0);
        string port = server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);

        (int exitCode, EchonetProcess bench) = await EchonetProcess.RunAsync("bench", "127.0.0.1", port, "-d", "0.3", "-w", "0");
        using (bench)
        {
            Assert.True(exitCode == 0, $"exit {exitCode}; stdout: {bench.Stdout} stderr: {bench.Stderr}");
            Assert.Matches(@"messages\s+[\d,]+ verified \([\d,]+ msg/s\)", bench.Stdout);
            Assert.Matches(@"latency\s+p50 [\d,.]+ µs\s+p90 [\d,.]+ µs\s+p99 [\d,.]+ µs\s+p99\.9 [\d,.]+ µs\s+p99\.99 [\d,.]+ µs\s+max [\d,.]+ µs", bench.Stdout);
            Assert.Matches(@"mismatches\s+0", bench.Stdout);
            Assert.Matches(@"load\s+1 connection \(1 up\)", bench.Stdout);

            // stderr is not a terminal here, so no progress line is drawn on it.
            Assert.Equal(string.Empty, bench.Stderr);
        }
    }

    [Fact]
    public async Task Bench_Rate_ReportsTheAchievedRateBesideTheAsked_AndWritesTheHistogram()
    {
        await using EchoServer server = new EchoServerBuilder().BindTo(IPAddress.Loopback).Listen(0);
        string port = server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);
        string histogram = Path.Combine(Path.GetTempPath(), $"echonet-histogram-{Guid.NewGuid():N}.txt");
        try
        {
            (int exitCode, EchonetProcess bench) = await EchonetProcess.RunAsync(
                "bench", "127.0.0.1", port, "-c", "2", "--rate", "400", "-d", "0.5", "-w", "0.1", "--json", "--histogram", histogram);
            using (bench)
            {
                Assert.True(exitCode == 0, $"exit {exitCode}; stdout: {bench.Stdout} stderr: {bench.Stderr}");
                using JsonDocument json = JsonDocument.Parse(bench.Stdout);
                JsonElement result = json.RootElement;
                Assert.Equal("rate", result.GetProperty("mode").GetString());
                Assert.Equal(400, result.GetProperty("rate").GetDouble());
                Assert.InRange(result.GetProperty("msgs").GetInt64(), 200 - 2, 200 + 2);
                Assert.InRange(result.GetProperty("msgs_per_s").GetDouble(), 390, 410);
                Assert.True(result.GetProperty("p9999_us").GetDouble() <= result.GetProperty("max_us").GetDouble(), bench.Stdout);
                Assert.True(result.TryGetProperty("send_lag_p99_us", out _), bench.Stdout);
                Assert.Contains($"Latency distribution written to {histogram}", bench.Stderr, StringComparison.Ordinal);
            }

            string[] lines = await File.ReadAllLinesAsync(histogram, TestContext.Current.CancellationToken);
            Assert.Matches(@"^\s+Value\s+Percentile\s+TotalCount\s+1/\(1-Percentile\)$", lines[0]);
            Assert.Contains(lines, line => line.StartsWith("#[Max", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(histogram);
        }
    }

    [Fact]
    public async Task Bench_NothingListening_ExitsOneAndSaysSo()
    {
        using var placeholder = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        placeholder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string port = ((IPEndPoint)placeholder.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);

        (int exitCode, EchonetProcess bench) = await EchonetProcess.RunAsync("bench", "127.0.0.1", port, "-d", "0.3", "-w", "0");
        using (bench)
        {
            Assert.Equal(1, exitCode);
            Assert.Contains($"Cannot connect to 127.0.0.1:{port}", bench.Stderr, StringComparison.Ordinal);
            Assert.Matches(@"load\s+1 connection \(0 up\)", bench.Stdout);
            Assert.Matches(@"errors\s+1 connect failure$", bench.Stdout.TrimEnd());
        }
    }
}
