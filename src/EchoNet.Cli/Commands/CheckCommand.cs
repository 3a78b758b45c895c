using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EchoNet.Testing;

namespace EchoNet.Cli.Commands;

/// <summary><c>echonet check HOST PORT</c>: runs the RFC 862 conformance checks of <see cref="EchoConformance"/> and prints PASS or FAIL for each.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        Argument<string> host = Target.HostArgument();
        Argument<int> port = Target.PortArgument();
        Option<string?> unix = Target.UnixOption();
        var transport = new ChoiceOption<EchoConformanceTransports>(
            "--transport", "-t", ("tcp", EchoConformanceTransports.Tcp), ("udp", EchoConformanceTransports.Udp), ("both", EchoConformanceTransports.Both))
        {
            Description = "What to check: tcp (the default), udp, or both on the same port.",
        };
        var udp = new Option<bool>("--udp", "-u") { Description = "Check the UDP service only: the same as --transport udp." };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds one check may take before it fails.",
            DefaultValueFactory = _ => 10,
        }.Seconds(0, 600, minExclusive: true);
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the random payloads and chunk sizes, to repeat a run exactly.",
            DefaultValueFactory = _ => 862,
            CustomParser = result => OptionRules.Parse<int>(result, NumberStyles.Integer, "--seed must be a whole number") ?? 0,
        };
        var tls = new TlsClientOptions();

        var command = new Command("check", "Check that an echo server behaves as RFC 862 asks: PASS or FAIL per check with the reason; exit 1 if any fails.")
        {
            host, port, unix, transport, udp, timeout, seed,
        };
        Target.RequireOne(command, host, port, unix);
        tls.AddTo(command);
        command.Validators.Add(result =>
        {
            if (!result.ValuesConvert())
            {
                return;
            }

            if (result.GetValue(udp) && result.GetResult(transport) is not null)
            {
                result.AddError("--udp is short for --transport udp; give one or the other.");
            }

            if (result.GetValue(unix) is not null && (result.GetValue(udp) || result.GetValue(transport) is EchoConformanceTransports.Udp or EchoConformanceTransports.Both))
            {
                result.AddError("--unix checks a stream echo on a Unix socket; the UDP checks do not apply there.");
            }

            if (result.GetValue(unix) is not null && result.GetValue(tls.Tls))
            {
                result.AddError("--tls checks the TCP service over TLS; a Unix socket echo is served in plain text. Give one or the other.");
            }

            if (result.GetValue(tls.Tls) && (result.GetValue(udp) || result.GetValue(transport) is EchoConformanceTransports.Udp or EchoConformanceTransports.Both))
            {
                result.AddError("--tls checks the TCP service over TLS; UDP has no TLS. Drop --udp and --transport, or check UDP in a run of its own.");
            }
        });
        EchoCommandLine.SetStoppableAction(command, async (parsed, cancellationToken) =>
        {
            EchoConformanceTransports transports = parsed.GetValue(udp) ? EchoConformanceTransports.Udp : parsed.GetValue(transport) ?? EchoConformanceTransports.Tcp;
            var options = new EchoConformanceOptions
            {
                Transports = transports,
                CheckTimeout = TimeSpan.FromSeconds(parsed.GetValue(timeout)),
                Seed = parsed.GetValue(seed),
                Tls = tls.For(parsed, parsed.GetValue(host) ?? string.Empty),
            };
            return await RunAsync(parsed.GetValue(unix), parsed.GetValue(host), parsed.GetValue(port), options, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string? unixPath, string? host, int port, EchoConformanceOptions options, CancellationToken stop)
    {
        EndPoint target;
        string name;
        if (unixPath is not null)
        {
            target = new UnixDomainSocketEndPoint(unixPath);
            name = $"Unix socket {unixPath}";
        }
        else if (await Target.ResolveAsync(host!, port, Console.Error, stop) is { } address)
        {
            target = address;
            name = $"{host} ({address})";
        }
        else
        {
            return ExitCodes.Failure;
        }

        Console.Out.WriteLine($"Checking {name} for RFC 862 conformance{(options.Tls is null ? "" : " over TLS")}");
        try
        {
            EchoConformanceReport report = await EchoConformance.RunAsync(target, options, new CheckResultPrinter(Console.Out), stop);
            int failed = report.Failures.Count();
            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{report.Results.Count - failed} passed, {failed} failed: {(report.Passed ? "conforms to RFC 862" : "does NOT conform to RFC 862")}"));
            return report.Passed ? ExitCodes.Success : ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Stopped before every check ran.");
            return ExitCodes.Failure;
        }
    }

}
