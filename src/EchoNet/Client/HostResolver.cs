using System.Net;
using System.Net.Sockets;

namespace EchoNet.Client;

/// <summary>Turns a host name or address into the addresses a client tries, in order.</summary>
internal static class HostResolver
{
    /// <summary>
    /// Resolves <paramref name="host"/>. For <c>localhost</c> both loopback addresses are added when the resolver
    /// lacks one, so the client finds a server whichever family it listens on (many <c>/etc/hosts</c> name only one).
    /// </summary>
    public static async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, int port, EchoTransports transport, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? literal))
        {
            return [literal];
        }

        IPAddress[] resolved;
        try
        {
            resolved = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw EchoConnectException.Unresolved(host, port, transport, e);
        }

        var addresses = new List<IPAddress>(resolved.Length + 2);
        foreach (IPAddress address in resolved)
        {
            if (address.AddressFamily == AddressFamily.InterNetwork || (address.AddressFamily == AddressFamily.InterNetworkV6 && Socket.OSSupportsIPv6))
            {
                addresses.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
            }
        }

        if (IsLocalhost(host))
        {
            AddIfMissing(addresses, IPAddress.Loopback);
            if (Socket.OSSupportsIPv6)
            {
                AddIfMissing(addresses, IPAddress.IPv6Loopback);
            }
        }

        return addresses.Count > 0
            ? addresses
            : throw EchoConnectException.Unresolved(host, port, transport, new SocketException((int)SocketError.HostNotFound));
    }

    private static bool IsLocalhost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private static void AddIfMissing(List<IPAddress> addresses, IPAddress address)
    {
        if (!addresses.Contains(address))
        {
            addresses.Add(address);
        }
    }
}
