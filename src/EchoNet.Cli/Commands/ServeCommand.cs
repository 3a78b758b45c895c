using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace EchoNet.Cli.Commands;

/// <summary><c>echonet serve</c>: runs an EchoNet server until Ctrl+C or SIGTERM, then drains and exits 0.</summary>
internal static class ServeCommand
{
    private static readonly string[] Models = ["iterative", "select", "thread-per-client", "async", "eventloop"];
    private static readonly string[] LogLevels = ["trace", "debug", "information", "warning", "error", "none"];

    public static Command Create()
    {
        var transport = new Option<string>("--transport", "-t")
        {
            Description = "What to serve: tcp, udp, or both on the same port.",
            DefaultValueFactory = _ => "tcp",
        }.AcceptOnlyFromAmong("tcp", "udp", "both");
        var model = new Option<string?>("--model", "-m")
        {
            Description = "How TCP clients share threads: iterative (one at a time), select (one thread, readiness loop), thread-per-client (a thread each), async (thread pool; the portable one), eventloop (a loop per core; the default on Linux x64).",
        }.AcceptOnlyFromAmong(Models);
        var port = new Option<int>("--port", "-p")
        {
            Description = "The port to listen on; 0 takes a free one (the 'Listening on' line tells which).",
            DefaultValueFactory = _ => 7777,
        }.InRange(0, 65535);
        var bind = new Option<IPAddress?>("--bind", "-b")
        {
            Description = "The local address to listen on, such as 127.0.0.1 or ::1. Default: every interface, IPv6 and IPv4.",
            CustomParser = ParseAddress,
        };
        var portSharing = new Option<bool>("--port-sharing")
        {
            Description = "Set SO_REUSEPORT, so several servers started with it share the port and its clients (Linux, macOS).",
        };
        var loops = new Option<int?>("--loops")
        {
            Description = "How many loops the eventloop model runs, each on a thread of its own (default: one per core this process may run on).",
        }.InRange(1, 1024);
        var backend = new Option<string?>("--backend")
        {
            Description = "What the eventloop model runs on: io_uring or epoll (default: io_uring where the kernel allows it, else epoll). A forced io_uring the kernel refuses is an error.",
        }.AcceptOnlyFromAmong("io_uring", "epoll");
        var backlog = new Option<int?>("--backlog")
        {
            Description = "How many connections may wait to be accepted (default 512).",
        }.InRange(1, 65535);
        var readSize = new Option<int?>("--read-size")
        {
            Description = $"Bytes one TCP receive asks for (default {Defaults.ReadSize}).",
        }.InRange(1, 1_048_576);
        var maxOwed = new Option<int?>("--max-owed-bytes")
        {
            Description = $"Bytes a TCP client may be owed before the server stops reading from it until it reads (default {Defaults.MaxOwedBytes}, at least --read-size).",
        }.InRange(1, 1 << 30);
        var shutdownTimeout = new Option<double>("--shutdown-timeout")
        {
            Description = "Seconds open connections may go on after Ctrl+C or SIGTERM before they are closed.",
            DefaultValueFactory = _ => 5,
        }.Seconds(0, 3600, minExclusive: false);
        var logLevel = new Option<string>("--log-level")
        {
            Description = "The least important log messages shown: trace, debug (every connection), information, warning, error, none.",
            DefaultValueFactory = _ => "information",
        }.AcceptOnlyFromAmong(LogLevels);

        var maxConnections = new Option<int?>("--max-connections")
        {
            Description = "TCP connections open at once; the next is reset (default: as many as the descriptor limit allows).",
        }.InRange(1, int.MaxValue);
        var maxPerSource = new Option<int?>("--max-connections-per-source")
        {
            Description = "TCP connections one client address may have open at once (default: no limit).",
        }.InRange(1, int.MaxValue);
        var idleTimeout = new Option<double?>("--idle-timeout")
        {
            Description = "Seconds a TCP connection may receive nothing before it is closed (default: never).",
        };
        var tlsCert = new Option<FileInfo?>("--tls-cert")
        {
            Description = "Serve TLS with this certificate: PEM (its key in --tls-key, or in the same file) or PKCS#12 (.pfx, .p12).",
        };
        var tlsKey = new Option<FileInfo?>("--tls-key") { Description = "The PEM private key of --tls-cert, when it is not in the certificate's file." };
        var tlsPassword = new Option<string?>("--tls-password") { Description = "The password of the PKCS#12 file, or of the encrypted PEM key." };
        var tlsSelfSigned = new Option<bool>("--tls-self-signed")
        {
            Description = "Serve TLS with a self-signed certificate for localhost made at start (its SHA-256 fingerprint is printed); clients need --insecure or to pin it.",
        };
        var unix = new Option<string?>("--unix")
        {
            Description = "Serve a Unix domain socket at this path instead of TCP (any --model); a stale socket file there is replaced, and the file is removed on exit.",
        };
        var stats = new Option<bool>("--stats") { Description = "Print live counters to standard error once a second: connections, bytes/s, datagrams/s." };

        var command = new Command("serve", "Run an RFC 862 echo server until Ctrl+C or SIGTERM; then drain open connections and exit 0.")
        {
            transport, model, loops, backend, port, bind, portSharing, backlog, readSize, maxOwed, maxConnections, maxPerSource, idleTimeout, shutdownTimeout,
            tlsCert, tlsKey, tlsPassword, tlsSelfSigned, logLevel, stats, unix,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(unix) is null)
            {
                return;
            }

            // What only an IP socket has: given with --unix, it would be silently ignored.
            Option[] notForUnix = [transport, port, bind, portSharing, maxPerSource];
            foreach (Option given in notForUnix.Where(option => result.GetResult(option) is { Implicit: false }))
            {
                result.AddError($"{given.Name} does not apply to --unix: a Unix socket is served alone, on its path, and its clients have no address.");
            }

            // TLS is served over TCP; a Unix socket's peers are on this machine, and its file's permissions decide who connects.
            Option[] tlsOnly = [tlsCert, tlsKey, tlsPassword, tlsSelfSigned];
            foreach (Option given in tlsOnly.Where(option => result.GetResult(option) is { Implicit: false }))
            {
                result.AddError($"{given.Name} does not apply to --unix: TLS is served over TCP, and a Unix socket in plain text. Serve TLS from a TCP server of its own.");
            }
        });
        command.Validators.Add(result =>
        {
            if (result.GetValue(idleTimeout) is double idle && idle < 1)
            {
                result.AddError($"--idle-timeout must be at least 1 second (got {idle}).");
            }

            if (result.GetValue(transport) == "udp" && result.GetValue(model) is not null)
            {
                result.AddError("--model chooses how TCP clients are served; with --transport udp there is no model to choose.");
            }

            if (result.GetValue(loops) is not null && result.GetValue(model) != "eventloop")
            {
                result.AddError("--loops sets how many loops the eventloop model runs; give --model eventloop with it.");
            }

            if (result.GetValue(backend) is not null && result.GetValue(model) != "eventloop")
            {
                result.AddError("--backend chooses what the eventloop model runs on; give --model eventloop with it.");
            }

            bool certificate = result.GetValue(tlsCert) is not null;
            bool selfSigned = result.GetValue(tlsSelfSigned);
            if (certificate && selfSigned)
            {
                result.AddError("--tls-cert serves your certificate and --tls-self-signed makes one; give one or the other.");
            }

            if (!certificate && (result.GetValue(tlsKey) is not null || result.GetValue(tlsPassword) is not null))
            {
                result.AddError("--tls-key and --tls-password go with --tls-cert; give the certificate too.");
            }

            if ((certificate || selfSigned) && result.GetValue(transport) is "udp" or "both")
            {
                result.AddError("TLS is served on TCP only (UDP has no TLS); drop --transport, or serve UDP from another server.");
            }

            if ((certificate || selfSigned) && result.GetValue(model) is "select" or "eventloop")
            {
                result.AddError($"--model {result.GetValue(model)} cannot serve TLS: it keeps no stream per connection. Choose --model async (the default with TLS), thread-per-client or iterative.");
            }

            if (result.GetValue(maxOwed) is int owed && owed < (result.GetValue(readSize) ?? Defaults.ReadSize))
            {
                result.AddError($"--max-owed-bytes must be at least --read-size ({Defaults.ReadSize} unless given).");
            }
        });
        command.SetAction((parsed, cancellationToken) => RunAsync(new ServeSettings
        {
            Transport = parsed.GetRequiredValue(transport),
            Model = parsed.GetValue(model),
            Loops = parsed.GetValue(loops),
            Backend = parsed.GetValue(backend) switch
            {
                "io_uring" => EchoEventLoopBackend.IoUring,
                "epoll" => EchoEventLoopBackend.Epoll,
                _ => EchoEventLoopBackend.Automatic,
            },
            Port = parsed.GetValue(port),
            Bind = parsed.GetValue(bind),
            PortSharing = parsed.GetValue(portSharing),
            Backlog = parsed.GetValue(backlog),
            ReadSize = parsed.GetValue(readSize),
            MaxOwedBytes = parsed.GetValue(maxOwed),
            MaxConnections = parsed.GetValue(maxConnections),
            MaxConnectionsPerSource = parsed.GetValue(maxPerSource),
            IdleTimeout = parsed.GetValue(idleTimeout) is double idle ? TimeSpan.FromSeconds(idle) : null,
            Stats = parsed.GetValue(stats),
            Unix = parsed.GetValue(unix),
            ShutdownTimeout = TimeSpan.FromSeconds(parsed.GetValue(shutdownTimeout)),
            LogLevel = Enum.Parse<LogLevel>(parsed.GetRequiredValue(logLevel), ignoreCase: true),
            TlsCertificate = parsed.GetValue(tlsCert)?.FullName,
            TlsKey = parsed.GetValue(tlsKey)?.FullName,
            TlsPassword = parsed.GetValue(tlsPassword),
            TlsSelfSigned = parsed.GetValue(tlsSelfSigned),
        }));
        return command;
    }

    private static readonly EchoServerOptions Defaults = new();

    private static async Task<int> RunAsync(ServeSettings settings)
    {
        using var stop = new StopSignal();
        // Logs go to stderr, so stdout carries only the 'Listening on' lines that scripts read.
        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(settings.LogLevel)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            }));

        if (settings.Model is "async")
        {
            InlineSocketCompletions.Enable();
        }

        EchoServer server;
        X509Certificate2? certificate = null;
        try
        {
            certificate = settings.LoadCertificate();
            EchoServerBuilder builder = settings.CreateBuilder(loggerFactory, certificate);
            server = settings.Unix is { } path ? builder.ListenUnix(path) : builder.Listen(settings.Port);
        }
        catch (EchoBindException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Failure;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Usage;
        }
        catch (PlatformNotSupportedException e)
        {
            // What was asked for cannot run here (a forced io_uring the kernel refuses, port sharing on Windows).
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Failure;
        }

        using X509Certificate2? served = certificate;
        await using (server)
        {
            WriteListening(server, certificate);
            using var printingStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            Task printing = settings.Stats ? LiveStatistics.PrintAsync(server, Console.Error, printingStop.Token) : Task.CompletedTask;
            try
            {
                // Serves until Ctrl+C or SIGTERM, then drains for --shutdown-timeout.
                await server.RunAsync(stop.Token);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
                await Console.Error.WriteLineAsync($"The server failed: {e.Message}");
                return ExitCodes.Failure;
            }
            finally
            {
                await printingStop.CancelAsync();
                await printing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>One line per bound endpoint; scripts and tests read the port from it when they asked for port 0.</summary>
    private static void WriteListening(EchoServer server, X509Certificate2? certificate)
    {
        foreach (EchoBinding binding in server.Bindings)
        {
            // UDP has no concurrency model.
            string what = binding.Transport switch
            {
                EchoTransports.Udp => "UDP",
                EchoTransports.Unix => $"Unix, {server.Model}",
                _ when certificate is null => $"TCP, {server.Model}",
                _ => $"TCP, {server.Model}, TLS, certificate {certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false)} SHA-256 {EchoCertificates.Sha256Fingerprint(certificate)}",
            };
            Console.Out.WriteLine($"Listening on {binding.EndPoint} ({what})");
        }

        Console.Out.Flush();
    }

    private static IPAddress? ParseAddress(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (IPAddress.TryParse(text.Trim('[', ']'), out IPAddress? address))
        {
            return address;
        }

        result.AddError($"--bind must be an IP address of this host, such as 127.0.0.1, ::1 or 0.0.0.0 (got '{text}').");
        return null;
    }
}
