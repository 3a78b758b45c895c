using System.Buffers.Binary;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace EchoNet.Server.Udp;

/// <summary>
/// The directed broadcast addresses of this host's IPv4 subnets (192.168.1.255 for 192.168.1.0/24), taken once when
/// the server starts. A datagram "from" one of them is forged: answering it would reach the whole subnet.
/// </summary>
/// <remarks>A subnet added after the start is not known; Linux drops such sources itself as martians.</remarks>
internal sealed class LocalBroadcastAddresses
{
    private readonly uint[] _addresses;

    public LocalBroadcastAddresses(IEnumerable<uint> addresses) => _addresses = [.. addresses.Distinct()];

    public static LocalBroadcastAddresses None { get; } = new([]);

    public int Count => _addresses.Length;

    public bool Contains(uint address) => Array.IndexOf(_addresses, address) >= 0;

    /// <summary>Reads the host's interfaces; an empty set where the platform cannot list them.</summary>
    public static LocalBroadcastAddresses OfThisHost()
    {
        try
        {
            var addresses = new List<uint>();
            foreach (NetworkInterface networkInterface in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (UnicastIPAddressInformation unicast in networkInterface.GetIPProperties().UnicastAddresses)
                {
                    // /31 and /32 subnets have no broadcast address (RFC 3021).
                    if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && unicast.PrefixLength is > 0 and < 31)
                    {
                        uint address = BinaryPrimitives.ReadUInt32BigEndian(unicast.Address.GetAddressBytes());
                        addresses.Add(address | (uint.MaxValue >> unicast.PrefixLength));
                    }
                }
            }

            return new LocalBroadcastAddresses(addresses);
        }
        catch (Exception e) when (e is NetworkInformationException or PlatformNotSupportedException)
        {
            return None;
        }
    }
}
