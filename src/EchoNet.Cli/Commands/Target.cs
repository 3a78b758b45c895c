using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EchoNet.Cli.Commands;

/// <summary>
/// The HOST and PORT arguments that <c>client</c>, <c>bench</c> and <c>check</c> share, or <c>--unix PATH</c> in their
/// place, and how HOST becomes an address.
/// </summary>
internal static class Target
{
    public static Argument<string> HostArgument() => new("HOST")
    {
        Description = "The echo server's host name or IP address, such as localhost, 127.0.0.1 or ::1.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Argument<int> PortArgument()
    {
        var port = new Argument<int>("PORT")
        {
            Description = "The echo server's port (RFC 862 assigns 7).",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result => OptionRules.Parse<int>(result, NumberStyles.Integer, "PORT must be a whole number from 1 to 65535") ?? 0,
        };
        port.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.Converted(out int value) && value is < 1 or > 65535)
            {
                result.AddError($"PORT must be from 1 to 65535 (got {value}).");
            }
        });
        return port;
    }

    /// <summary><c>--unix PATH</c>: a Unix domain socket to reach in place of HOST and PORT.</summary>
    public static Option<string?> UnixOption()
    {
        var unix = new Option<string?>("--unix") { Description = "The path of the echo server's Unix domain socket, in place of HOST and PORT." };
        unix.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } path && Encoding.UTF8.GetByteCount(path) is var bytes && (bytes == 0 || bytes > EchoServerOptions.MaxUnixSocketPathBytes))
            {
                result.AddError($"--unix takes a socket path of 1 to {EchoServerOptions.MaxUnixSocketPathBytes} bytes, the most a Unix socket address holds here (got {bytes}). Use a shorter path.");
            }
        });
        return unix;
    }

    /// <summary>Requires HOST and PORT, or <c>--unix PATH</c> instead of both.</summary>
    public static void RequireOne(Command command, Argument<string> host, Argument<int> port, Option<string?> unix)
    {
        command.Validators.Add(result =>
        {
            bool hostGiven = result.GetResult(host) is { Tokens.Count: > 0 };
            bool portGiven = result.GetResult(port) is { Tokens.Count: > 0 };
            if (result.GetValue(unix) is not null)
            {
                if (hostGiven || portGiven)
                {
                    result.AddError("--unix PATH takes the place of HOST and PORT; give one or the other.");
                }
            }
            else if (!hostGiven || !portGiven)
            {
                result.AddError("Give the server's HOST and PORT, or --unix PATH for a Unix domain socket.");
            }
        });
    }

    /// <summary>The address to use for <paramref name="host"/>: itself if it is one, else its first IPv4 address, else its first.</summary>
    /// <returns>The endpoint, or <see langword="null"/> after writing why to <paramref name="error"/>.</returns>
    public static async Task<IPEndPoint?> ResolveAsync(string host, int port, TextWriter error, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address))
        {
            return new IPEndPoint(address, port);
        }

        try
        {
            IPAddress[] addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            IPAddress? chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            if (chosen is not null)
            {
                return new IPEndPoint(chosen, port);
            }
        }
        catch (SocketException e)
        {
            await error.WriteLineAsync($"Cannot resolve host '{host}': {e.Message}.");
            return null;
        }

        await error.WriteLineAsync($"Host '{host}' has no address.");
        return null;
    }
}
