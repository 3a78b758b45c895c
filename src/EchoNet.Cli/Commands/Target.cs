using System.CommandLine;
using System.Net;
using System.Net.Sockets;

namespace EchoNet.Cli.Commands;

/// <summary>The HOST and PORT arguments that <c>bench</c> and <c>check</c> share, and how HOST becomes an address.</summary>
internal static class Target
{
    public static Argument<string> HostArgument() => new("HOST")
    {
        Description = "The echo server's host name or IP address, such as localhost, 127.0.0.1 or ::1.",
    };

    public static Argument<int> PortArgument()
    {
        var port = new Argument<int>("PORT") { Description = "The echo server's port (RFC 862 assigns 7)." };
        port.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value is < 1 or > 65535)
            {
                result.AddError($"PORT must be from 1 to 65535 (got {value}).");
            }
        });
        return port;
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
