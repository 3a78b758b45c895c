using System.CommandLine;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;

namespace EchoNet.Cli.Commands;

/// <summary>
/// <c>echonet client HOST PORT</c>: the course's interactive client. Sends each line of standard input and prints the
/// echo; an empty line or the end of input ends. Over TCP it is <see cref="EchoConsoleSession"/> on an
/// <see cref="EchoClient"/>; with <c>--udp</c> each line is one datagram of an <see cref="EchoUdpClient"/>, and a
/// datagram whose echo never came is reported on standard error.
/// </summary>
internal static class ClientCommand
{
    public static Command Create()
    {
        Argument<string> host = Target.HostArgument();
        Argument<int> port = Target.PortArgument();
        Option<string?> unix = Target.UnixOption();
        var udp = new Option<bool>("--udp", "-u") { Description = "Talk UDP: one datagram per line, one echo per datagram." };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds to wait to connect (TCP), or for each datagram's echo (UDP, tried 3 times).",
            DefaultValueFactory = _ => 10,
        }.Seconds(0, 600, minExclusive: true);

        var tls = new TlsClientOptions();
        var command = new Command("client", "Send each line of standard input to an echo server and print the echo; an empty line or end of input ends.")
        {
            host, port, unix, udp, timeout,
        };
        Target.RequireOne(command, host, port, unix);
        tls.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(unix) is not null && result.GetValue(udp))
            {
                result.AddError("--unix talks to a stream echo on a Unix socket; --udp does not apply there.");
            }

            if (result.GetValue(unix) is not null && result.GetValue(tls.Tls))
            {
                result.AddError("--tls talks TLS over TCP; a Unix socket echo is served in plain text. Give one or the other.");
            }

            if (result.GetValue(tls.Tls) && result.GetValue(udp))
            {
                result.AddError("--tls talks TLS over TCP; UDP has no TLS. Give one or the other.");
            }
        });
        EchoCommandLine.SetStoppableAction(command, async (parsed, cancellationToken) => await RunAsync(
            parsed.GetValue(unix),
            parsed.GetValue(host),
            parsed.GetValue(port),
            parsed.GetValue(udp),
            tls.For(parsed, parsed.GetValue(host) ?? string.Empty),
            TimeSpan.FromSeconds(parsed.GetValue(timeout)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? unixPath, string? host, int port, bool udp, SslClientAuthenticationOptions? tls, TimeSpan timeout, CancellationToken stop)
    {

        // The wire carries UTF-8; make the terminal side agree whatever the locale says.
        Console.InputEncoding = Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        try
        {
            if (unixPath is not null)
            {
                return await RunStreamAsync(await EchoClient.ConnectUnixAsync(unixPath, timeout, stop), stop);
            }

            return udp
                ? await RunUdpAsync(host!, port, timeout, stop)
                : await RunStreamAsync(
                    tls is null ? await EchoClient.ConnectAsync(host!, port, timeout, stop) : await EchoClient.ConnectAsync(host!, port, tls, timeout, stop),
                    stop);
        }
        catch (EchoConnectException e)
        {
            // Refused, unresolved or timed out: the message says which and what to do.
            await Console.Error.WriteLineAsync(ConnectFailure.Describe(e));
            return ExitCodes.Failure;
        }
        catch (AuthenticationException e)
        {
            // The TLS handshake failed: the message says why (an untrusted certificate, no TLS on the port).
            await Console.Error.WriteLineAsync(tls?.RemoteCertificateValidationCallback is null ? $"{e.Message} For a self-signed test server, add --insecure." : e.Message);
            return ExitCodes.Failure;
        }
        catch (IOException e)
        {
            // Lost midway.
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
    }

    private static async Task<int> RunStreamAsync(EchoClient connected, CancellationToken cancellationToken)
    {
        await using EchoClient client = connected;
        string how = client.Port == 0 ? "Unix socket"
            : client.TlsProtocol is { } protocol ? $"TCP, TLS: {protocol}, {client.TlsCipherSuite}"
            : "TCP";
        await Console.Error.WriteLineAsync($"Connected to {client.RemoteEndPoint} ({how}). Type lines; an empty line or end of input ends.");
        await new EchoConsoleSession(client, Console.In, Console.Out).RunAsync(cancellationToken);
        return ExitCodes.Success;
    }

    private static async Task<int> RunUdpAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using EchoUdpClient client = await EchoUdpClient.ConnectAsync(host, port, timeout, retries: 2, cancellationToken);
        await Console.Error.WriteLineAsync($"Talking to {client.RemoteEndPoint} (UDP). Type lines; each is one datagram; an empty line or end of input ends.");
        int lost = 0;
        while (await Console.In.ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            try
            {
                await Console.Out.WriteAsync(await client.EchoAsync(line + "\n", cancellationToken));
                await Console.Out.FlushAsync(cancellationToken);
            }
            catch (TimeoutException e)
            {
                lost++;
                await Console.Error.WriteLineAsync(e.Message);
            }
        }

        return lost == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
