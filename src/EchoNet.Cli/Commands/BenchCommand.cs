using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using EchoNet.Cli.Bench;
using EchoNet.Load;
using EchoNet.Load.Epoll;

namespace EchoNet.Cli.Commands;

/// <summary><c>echonet bench HOST PORT</c>: load-tests any echo server, verifying every byte, and reports rate and latency.</summary>
internal static class BenchCommand
{
    private const int MaxUdpClients = 256;
    private const int RateWindow = 1_024;

    public static Command Create()
    {
        Argument<string> host = Target.HostArgument();
        Argument<int> port = Target.PortArgument();
        Option<string?> unix = Target.UnixOption();
        var connections = new Option<int>("--connections", "-c")
        {
            Description = "TCP connections (or UDP clients) running at once.",
            DefaultValueFactory = _ => 1,
        }.InRange(1, 20_000);
        var size = new Option<int>("--size", "-s")
        {
            Description = "Bytes per message (per datagram with --udp).",
            DefaultValueFactory = _ => 64,
        }.InRange(1, 1_048_576);
        var duration = new Option<double>("--duration", "-d")
        {
            Description = "Seconds measured, after the warm-up.",
            DefaultValueFactory = _ => 5,
        }.Seconds(0, 3600, minExclusive: true);
        var warmup = new Option<double>("--warmup", "-w")
        {
            Description = "Seconds of load before measuring starts.",
            DefaultValueFactory = _ => 1,
        }.Seconds(0, 600, minExclusive: false);
        var mode = new ChoiceOption<BenchMode>("--mode", "-m", ("pingpong", BenchMode.PingPong), ("pipeline", BenchMode.Pipeline))
        {
            Description = "pingpong (the default): one message in flight per connection (latency); pipeline: --window messages in flight (throughput).",
        };
        var window = new Option<int?>("--window")
        {
            Description = "Messages in flight per connection with --mode pipeline (default 8), or at most with --rate (default 1,024).",
        }.InRange(1, 4_096);
        var rate = new Option<double?>("--rate", "-r")
        {
            Description = "Open loop: send this many messages per second over all connections on a fixed schedule, whatever the echoes do, and count each latency from its intended send time (no coordinated omission). Without it the bench is closed-loop, for throughput.",
            CustomParser = result => OptionRules.Parse<double>(result, System.Globalization.NumberStyles.Float, "--rate must be a number of messages per second, such as 50000"),
        };
        rate.Validators.Add(result =>
        {
            if (result.Converted(out double? given) && given is double value && !(value >= 1 && value <= 10_000_000))
            {
                result.AddError(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--rate must be from 1 to 10,000,000 messages per second (got {value})."));
            }
        });
        var histogram = new Option<FileInfo?>("--histogram")
        {
            Description = "Write the latency percentile distribution to this file in HdrHistogram's text format (values in µs), for plotting.",
        };
        var udp = new Option<bool>("--udp", "-u") { Description = "Send datagrams instead (ping-pong; a datagram unanswered in 200 ms counts as lost)." };
        var ioTimeout = new Option<double>("--io-timeout")
        {
            Description = "Seconds a connection may go without any echo before it counts as stalled and is dropped.",
            DefaultValueFactory = _ => 5,
        }.Seconds(0, 600, minExclusive: true);
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object instead of a table (with --sweep: one object with a step per value)." };
        var sweep = new Option<string?>("--sweep")
        {
            Description = "Run once per value and print a row each: connections=1,10,100 or size=64,512,4096.",
        };
        sweep.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !Sweep.TryParse(text, out _, out _))
            {
                result.AddError($"--sweep takes connections=N,N,... or size=N,N,... with whole numbers of at least 1 (got '{text}').");
            }
        });
        var chart = new Option<FileInfo?>("--chart") { Description = "With --sweep: write an SVG chart of messages/s and p99 latency to this file." };

        var tls = new TlsClientOptions();
        var command = new Command("bench", "Load-test an echo server: verify every echoed byte; report messages/s, MB/s and latency percentiles. Exit 1 on any fault.")
        {
            host, port, unix, connections, size, duration, warmup, mode, window, rate, udp, ioTimeout, json, sweep, chart, histogram,
        };
        Target.RequireOne(command, host, port, unix);
        tls.AddTo(command);
        command.Validators.Add(result =>
        {
            if (!result.ValuesConvert())
            {
                return;
            }

            bool pipeline = result.GetValue(mode) == BenchMode.Pipeline;
            bool datagrams = result.GetValue(udp);
            bool openLoop = result.GetValue(rate) is not null;
            if (result.GetValue(window) is not null && !pipeline && !openLoop)
            {
                result.AddError("--window applies to --mode pipeline and --rate only; ping-pong has one message in flight.");
            }

            if (openLoop && (pipeline || datagrams))
            {
                result.AddError("--rate sends on a schedule over TCP; it does not combine with --mode pipeline or --udp, which are closed loops.");
            }

            if (openLoop && !EpollInterop.IsSupported)
            {
                result.AddError("--rate runs on the bench's epoll loop, which needs Linux on x64 or arm64.");
            }

            if (result.GetValue(histogram) is not null && result.GetValue(sweep) is not null)
            {
                result.AddError("--histogram writes one run's distribution; it does not combine with --sweep.");
            }

            if (result.GetValue(chart) is not null && result.GetValue(sweep) is null)
            {
                result.AddError("--chart draws a --sweep; give --sweep too.");
            }

            if (datagrams && result.GetValue(unix) is not null)
            {
                result.AddError("--unix load-tests a stream echo on a Unix socket; --udp does not apply there.");
            }

            if (result.GetValue(unix) is not null && result.GetValue(tls.Tls))
            {
                result.AddError("--tls loads TLS over TCP; a Unix socket echo is served in plain text. Give one or the other.");
            }

            if (datagrams && result.GetValue(tls.Tls))
            {
                result.AddError("--tls loads TLS over TCP; UDP has no TLS. Give one or the other.");
            }

            if (openLoop && result.GetValue(tls.Tls))
            {
                result.AddError("--rate runs on the bench's epoll loop, which does not speak TLS; --tls runs ping-pong or --mode pipeline.");
            }

            if (datagrams && pipeline)
            {
                result.AddError("--udp runs ping-pong only: a datagram is sent when the previous one is answered or lost.");
            }

            if (datagrams && result.GetValue(size) > 65_507)
            {
                result.AddError($"--size must be at most 65,507 bytes with --udp, the largest IPv4 datagram (got {result.GetValue(size):N0}).");
            }

            if (datagrams && result.GetValue(connections) > MaxUdpClients)
            {
                result.AddError($"--connections must be at most {MaxUdpClients} with --udp: each client has a thread of its own.");
            }

            if ((long)result.GetValue(size) * (result.GetValue(window) ?? (openLoop ? RateWindow : 8)) > 64L << 20)
            {
                result.AddError("--size times --window must be at most 64 MiB per connection.");
            }
        });
        EchoCommandLine.SetStoppableAction(command, async (parsed, cancellationToken) =>
        {
            InlineSocketCompletions.Enable();
            string? unixPath = parsed.GetValue(unix);
            string hostName = unixPath ?? parsed.GetRequiredValue(host);
            EndPoint? target = unixPath is not null
                ? new UnixDomainSocketEndPoint(unixPath)
                : await Target.ResolveAsync(hostName, parsed.GetValue(port), Console.Error, cancellationToken);
            if (target is null)
            {
                return ExitCodes.Failure;
            }

            bool pipeline = parsed.GetValue(mode) == BenchMode.Pipeline;
            double? perSecond = parsed.GetValue(rate);
            var settings = new BenchSettings
            {
                Target = target,
                Host = hostName,
                Connections = parsed.GetValue(connections),
                Size = parsed.GetValue(size),
                Duration = TimeSpan.FromSeconds(parsed.GetValue(duration)),
                Warmup = TimeSpan.FromSeconds(parsed.GetValue(warmup)),
                Mode = perSecond is not null ? BenchMode.Rate : pipeline ? BenchMode.Pipeline : BenchMode.PingPong,
                Window = perSecond is not null ? parsed.GetValue(window) ?? RateWindow : pipeline ? parsed.GetValue(window) ?? 8 : 1,
                Rate = perSecond ?? 0,
                Udp = parsed.GetValue(udp),
                IoTimeout = TimeSpan.FromSeconds(parsed.GetValue(ioTimeout)),
                Tls = tls.For(parsed, hostName),
            };
            return parsed.GetValue(sweep) is { } sweepText && Sweep.TryParse(sweepText, out string swept, out int[] values)
                ? await Sweep.RunAsync(settings, swept, values, parsed.GetValue(chart), parsed.GetValue(json), cancellationToken)
                : await RunAsync(settings, parsed.GetValue(json), parsed.GetValue(histogram), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(BenchSettings settings, bool json, FileInfo? histogram, CancellationToken stop)
    {
        var progress = new ProgressLine(Console.Error, enabled: !Console.IsErrorRedirected);
        var runner = new BenchRunner(settings, progress.Update);
        BenchResult result;
        try
        {
            result = await runner.RunAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Stopped while connecting; nothing was measured.");
            return ExitCodes.Failure;
        }
        finally
        {
            progress.Clear();
        }

        if (result.Connected == 0)
        {
            await Console.Error.WriteLineAsync(settings.Udp
                ? $"Cannot send datagrams to {settings.Target}: no UDP client could be set up."
                : settings.Tls is not null
                    ? $"Cannot set up TLS with {settings.Target}: no connection got through its handshake (is a TLS echo server listening there? A self-signed certificate needs --insecure)."
                    : $"Cannot connect to {settings.Target}: no connection was accepted (is {(settings.Protocol == "unix" ? "an echo server listening on that Unix socket" : "a TCP echo server listening there")}?).");
        }

        if (json)
        {
            using Stream stdout = Console.OpenStandardOutput();
            BenchReport.WriteJson(result, stdout);
        }
        else
        {
            BenchReport.WriteTable(result, Console.Out);
        }

        if (BenchReport.ScheduleWarning(result) is { } warning)
        {
            await Console.Error.WriteLineAsync(warning);
        }

        if (histogram is not null)
        {
            await using (StreamWriter file = File.CreateText(histogram.FullName))
            {
                BenchReport.WriteHistogram(result, file);
            }

            await Console.Error.WriteLineAsync($"Latency distribution written to {histogram.FullName}");
        }

        return result.Clean ? ExitCodes.Success : ExitCodes.Failure;
    }
}
