using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace EchoNet.Cli.Commands;

/// <summary>
/// <c>echonet serve</c>: runs an EchoNet server until Ctrl+C or SIGTERM, then drains and exits 0. The command line is
/// read into the library's own <see cref="EchoServerOptions"/>: an option not given keeps the library's default.
/// </summary>
internal sealed class ServeCommand
{
    private static readonly EchoServerOptions Defaults = new();

    private readonly ChoiceOption<EchoTransports> _transport = new("--transport", "-t", ("tcp", EchoTransports.Tcp), ("udp", EchoTransports.Udp), ("both", EchoTransports.Tcp | EchoTransports.Udp))
    {
        Description = "What to serve: tcp, udp, or both on the same port (default tcp).",
    };

    private readonly ChoiceOption<EchoConcurrencyModel> _model = new(
        "--model",
        "-m",
        ("iterative", EchoConcurrencyModel.Iterative),
        ("select", EchoConcurrencyModel.Select),
        ("thread-per-client", EchoConcurrencyModel.ThreadPerClient),
        ("async", EchoConcurrencyModel.Async),
        ("eventloop", EchoConcurrencyModel.EventLoop))
    {
        Description = "How TCP clients share threads: iterative (one at a time), select (one thread, readiness loop), thread-per-client (a thread each), async (thread pool; the portable one), eventloop (a loop per core; the default on Linux x64).",
    };

    private readonly Option<int?> _loops = new Option<int?>("--loops")
    {
        Description = "How many loops the eventloop model runs, each on a thread of its own (default: one per core this process may run on).",
    }.InRange(1, 1024);

    private readonly ChoiceOption<EchoEventLoopBackend> _backend = new("--backend", null, ("io_uring", EchoEventLoopBackend.IoUring), ("epoll", EchoEventLoopBackend.Epoll))
    {
        Description = "What the eventloop model runs on: io_uring or epoll (default: io_uring where the kernel allows it, else epoll). A forced io_uring the kernel refuses is an error.",
    };

    private readonly Option<int> _port = new Option<int>("--port", "-p")
    {
        Description = "The port to listen on; 0 takes a free one (the 'Listening on' line tells which).",
        DefaultValueFactory = _ => Defaults.Port,
    }.InRange(0, 65535);

    private readonly Option<IPAddress?> _bind = new("--bind", "-b")
    {
        Description = "The local address to listen on, such as 127.0.0.1 or ::1. Default: every interface, IPv6 and IPv4.",
        CustomParser = ParseAddress,
    };

    private readonly Option<bool> _portSharing = new("--port-sharing")
    {
        Description = "Set SO_REUSEPORT, so several servers started with it share the port and its clients (Linux, macOS).",
    };

    private readonly Option<int> _backlog = new Option<int>("--backlog")
    {
        Description = "How many connections may wait to be accepted.",
        DefaultValueFactory = _ => Defaults.Backlog,
    }.InRange(1, 65535);

    private readonly Option<int> _readSize = new Option<int>("--read-size")
    {
        Description = "Bytes one TCP receive asks for.",
        DefaultValueFactory = _ => Defaults.ReadSize,
    }.InRange(1, 1_048_576);

    private readonly Option<int?> _maxOwed = new Option<int?>("--max-owed-bytes")
    {
        Description = $"Bytes a TCP client may be owed before the server stops reading from it until it reads (default {Defaults.MaxOwedBytes}, or --read-size if that is larger; at least --read-size).",
    }.InRange(1, 1 << 30);

    private readonly Option<int?> _maxConnections = new Option<int?>("--max-connections")
    {
        Description = "TCP connections open at once; the next is reset (default: as many as the descriptor limit allows).",
    }.InRange(1, int.MaxValue);

    private readonly Option<int?> _maxPerSource = new Option<int?>("--max-connections-per-source")
    {
        Description = "TCP connections one client address may have open at once (default: no limit).",
    }.InRange(1, int.MaxValue);

    private readonly Option<double?> _idleTimeout = new("--idle-timeout")
    {
        Description = "Seconds a TCP connection may receive nothing before it is closed (default: never).",
        CustomParser = result => OptionRules.Parse<double>(result, NumberStyles.Float, "--idle-timeout must be a number of seconds, at least 1"),
    };

    private readonly Option<double> _shutdownTimeout = new Option<double>("--shutdown-timeout")
    {
        Description = "Seconds open connections may go on after Ctrl+C or SIGTERM before they are closed.",
        DefaultValueFactory = _ => Defaults.ShutdownTimeout.TotalSeconds,
    }.Seconds(0, 3600, minExclusive: false);

    private readonly Option<FileInfo?> _tlsCert = new("--tls-cert")
    {
        Description = "Serve TLS with this certificate: PEM (its key in --tls-key, or in the same file) or PKCS#12 (.pfx, .p12).",
    };

    private readonly Option<FileInfo?> _tlsKey = new("--tls-key") { Description = "The PEM private key of --tls-cert, when it is not in the certificate's file." };

    private readonly Option<string?> _tlsPassword = new("--tls-password") { Description = "The password of the PKCS#12 file, or of the encrypted PEM key." };

    private readonly Option<bool> _tlsSelfSigned = new("--tls-self-signed")
    {
        Description = "Serve TLS with a self-signed certificate for localhost made at start (its SHA-256 fingerprint is printed); clients need --insecure or to pin it.",
    };

    private readonly ChoiceOption<LogLevel> _logLevel = new(
        "--log-level",
        null,
        ("trace", LogLevel.Trace),
        ("debug", LogLevel.Debug),
        ("information", LogLevel.Information),
        ("warning", LogLevel.Warning),
        ("error", LogLevel.Error),
        ("none", LogLevel.None))
    {
        Description = "The least important log messages shown: trace, debug (every connection), information (the default), warning, error, none.",
    };

    private readonly Option<bool> _stats = new("--stats") { Description = "Print live counters to standard error once a second: connections, bytes/s, datagrams/s." };

    private readonly Option<string?> _unix = new("--unix")
    {
        Description = "Serve a Unix domain socket at this path instead of TCP (any --model); a stale socket file there is replaced, and the file is removed on exit.",
    };

    public ServeCommand()
    {
        Command = new Command("serve", "Run an RFC 862 echo server until Ctrl+C or SIGTERM; then drain open connections and exit 0.")
        {
            _transport, _model, _loops, _backend, _port, _bind, _portSharing, _backlog, _readSize, _maxOwed, _maxConnections, _maxPerSource, _idleTimeout,
            _shutdownTimeout, _tlsCert, _tlsKey, _tlsPassword, _tlsSelfSigned, _logLevel, _stats, _unix,
        };
        Command.Validators.Add(RefuseWhatUnixSocketsDoNotHave);
        Command.Validators.Add(RefuseWhatDoesNotGoTogether);
        EchoCommandLine.SetStoppableAction(Command, RunAsync);
    }

    /// <summary>Gets the <c>serve</c> command.</summary>
    public Command Command { get; }

    /// <summary>The server <paramref name="parsed"/> asks for, as the library's options.</summary>
    public EchoServerOptions ServerOptions(ParseResult parsed)
    {
        var options = new EchoServerOptions
        {
            Transports = parsed.GetValue(_transport) ?? Defaults.Transports,
            Model = parsed.GetValue(_model),
            EventLoops = parsed.GetValue(_loops),
            EventLoopBackend = parsed.GetValue(_backend) ?? Defaults.EventLoopBackend,
            Address = parsed.GetValue(_bind),
            Port = parsed.GetValue(_port),
            PortSharing = parsed.GetValue(_portSharing),
            Backlog = parsed.GetValue(_backlog),
            ReadSize = parsed.GetValue(_readSize),
            MaxConnections = parsed.GetValue(_maxConnections),
            MaxConnectionsPerSource = parsed.GetValue(_maxPerSource),
            IdleTimeout = parsed.GetValue(_idleTimeout) is double idle ? TimeSpan.FromSeconds(idle) : null,
            ShutdownTimeout = ShutdownTimeout(parsed),
        };

        // A large read size alone raises the owed-bytes cap with it rather than failing validation.
        options.MaxOwedBytes = parsed.GetValue(_maxOwed) ?? Math.Max(Defaults.MaxOwedBytes, options.ReadSize);
        if (parsed.GetValue(_unix) is { } path)
        {
            options.UnixSocketPath = path;
            options.Transports = EchoTransports.Unix;
        }

        return options;
    }

    /// <summary>How long <paramref name="parsed"/> lets open connections go on once the server is told to stop.</summary>
    public TimeSpan ShutdownTimeout(ParseResult parsed) => TimeSpan.FromSeconds(parsed.GetValue(_shutdownTimeout));

    private void RefuseWhatUnixSocketsDoNotHave(CommandResult result)
    {
        if (result.GetValue(_unix) is null)
        {
            return;
        }

        // What only an IP socket has: given with --unix, it would be silently ignored.
        Option[] notForUnix = [_transport, _port, _bind, _portSharing, _maxPerSource];
        foreach (Option given in notForUnix.Where(option => result.GetResult(option) is { Implicit: false }))
        {
            result.AddError($"{given.Name} does not apply to --unix: a Unix socket is served alone, on its path, and its clients have no address.");
        }

        // TLS is served over TCP; a Unix socket's peers are on this machine, and its file's permissions decide who connects.
        Option[] tlsOnly = [_tlsCert, _tlsKey, _tlsPassword, _tlsSelfSigned];
        foreach (Option given in tlsOnly.Where(option => result.GetResult(option) is { Implicit: false }))
        {
            result.AddError($"{given.Name} does not apply to --unix: TLS is served over TCP, and a Unix socket in plain text. Serve TLS from a TCP server of its own.");
        }
    }

    private void RefuseWhatDoesNotGoTogether(CommandResult result)
    {
        if (!result.ValuesConvert())
        {
            return;
        }

        if (result.GetValue(_idleTimeout) is double idle && idle < 1)
        {
            result.AddError($"--idle-timeout must be at least 1 second (got {idle}).");
        }

        EchoTransports? transports = result.GetValue(_transport);
        EchoConcurrencyModel? model = result.GetValue(_model);
        if (transports == EchoTransports.Udp && model is not null)
        {
            result.AddError("--model chooses how TCP clients are served; with --transport udp there is no model to choose.");
        }

        if (result.GetValue(_loops) is not null && model != EchoConcurrencyModel.EventLoop)
        {
            result.AddError("--loops sets how many loops the eventloop model runs; give --model eventloop with it.");
        }

        if (result.GetResult(_backend) is not null && model != EchoConcurrencyModel.EventLoop)
        {
            result.AddError("--backend chooses what the eventloop model runs on; give --model eventloop with it.");
        }

        bool certificate = result.GetValue(_tlsCert) is not null;
        bool selfSigned = result.GetValue(_tlsSelfSigned);
        if (certificate && selfSigned)
        {
            result.AddError("--tls-cert serves your certificate and --tls-self-signed makes one; give one or the other.");
        }

        if (!certificate && (result.GetValue(_tlsKey) is not null || result.GetValue(_tlsPassword) is not null))
        {
            result.AddError("--tls-key and --tls-password go with --tls-cert; give the certificate too.");
        }

        if ((certificate || selfSigned) && transports is { } served && served.HasFlag(EchoTransports.Udp))
        {
            result.AddError("TLS is served on TCP only (UDP has no TLS); drop --transport, or serve UDP from another server.");
        }

        if ((certificate || selfSigned) && model is EchoConcurrencyModel.Select or EchoConcurrencyModel.EventLoop)
        {
            result.AddError($"--model {result.GetResult(_model)?.Tokens[0].Value} cannot serve TLS: it keeps no stream per connection. Choose --model async (the default with TLS), thread-per-client or iterative.");
        }

        if (result.GetValue(_maxOwed) is int owed && owed < result.GetValue(_readSize))
        {
            result.AddError($"--max-owed-bytes must be at least --read-size ({Defaults.ReadSize} unless given).");
        }
    }

    /// <summary>Serves until <paramref name="stop"/> (System.CommandLine's, set by Ctrl+C or SIGTERM), then drains for --shutdown-timeout.</summary>
    private async Task<int> RunAsync(ParseResult parsed, CancellationToken stop)
    {
        TextWriter output = parsed.InvocationConfiguration.Output;
        TextWriter error = parsed.InvocationConfiguration.Error;
        EchoServerOptions options = ServerOptions(parsed);

        // Logs go to stderr, so stdout carries only the 'Listening on' lines that scripts read.
        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(parsed.GetValue(_logLevel) ?? LogLevel.Information)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            }));

        if (options.Model is EchoConcurrencyModel.Async)
        {
            InlineSocketCompletions.Enable();
        }

        EchoServer server;
        X509Certificate2? certificate = null;
        try
        {
            certificate = LoadCertificate(parsed);
            EchoServerBuilder builder = new EchoServerBuilder(options).UseLoggerFactory(loggerFactory);
            if (certificate is not null)
            {
                builder.UseTls(certificate);
            }

            server = builder.Build();
            server.Start();
        }
        catch (EchoBindException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.Failure;
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.Usage;
        }
        catch (PlatformNotSupportedException e)
        {
            // What was asked for cannot run here (a forced io_uring the kernel refuses, port sharing on Windows).
            await error.WriteLineAsync(e.Message);
            return ExitCodes.Failure;
        }

        using X509Certificate2? served = certificate;
        await using (server)
        {
            WriteListening(server, certificate, output);
            using var printingStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Task printing = parsed.GetValue(_stats) ? LiveStatistics.PrintAsync(server, error, printingStop.Token) : Task.CompletedTask;
            try
            {
                await server.RunAsync(stop);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
                await error.WriteLineAsync($"The server failed: {e.Message}");
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

    /// <summary>The certificate to serve TLS with: loaded from --tls-cert, made for --tls-self-signed, or none.</summary>
    /// <exception cref="ArgumentException">The certificate cannot be loaded; the message names the file and says why.</exception>
    private X509Certificate2? LoadCertificate(ParseResult parsed) =>
        parsed.GetValue(_tlsSelfSigned) ? EchoCertificates.CreateSelfSigned()
        : parsed.GetValue(_tlsCert) is not { } certificate ? null
        : EchoCertificates.Load(certificate.FullName, parsed.GetValue(_tlsKey)?.FullName, parsed.GetValue(_tlsPassword));

    /// <summary>One line per bound endpoint; scripts and tests read the port from it when they asked for port 0.</summary>
    private static void WriteListening(EchoServer server, X509Certificate2? certificate, TextWriter output)
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
            output.WriteLine($"Listening on {binding.EndPoint} ({what})");
        }

        output.Flush();
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
