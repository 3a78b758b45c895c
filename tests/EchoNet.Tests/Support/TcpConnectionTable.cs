using System.Globalization;

namespace EchoNet.Tests.Support;

/// <summary>
/// The kernel's view of the TCP connections on a local port (Linux <c>/proc/net/tcp</c> and <c>tcp6</c>): a
/// server-side connection still established or in CLOSE_WAIT after its client has gone is one the server holds.
/// </summary>
internal static class TcpConnectionTable
{
    private const string Established = "01";
    private const string CloseWait = "08";

    /// <summary>Counts the connections whose local port is <paramref name="port"/> and that are established or in CLOSE_WAIT.</summary>
    public static int CountHeld(int port)
    {
        int held = 0;
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                // "  sl  local_address rem_address   st ...": the address is hex "ADDR:PORT", the state hex too.
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (PortOf(fields[1]) == port && fields[3] is Established or CloseWait)
                {
                    held++;
                }
            }
        }

        return held;
    }

    /// <summary>
    /// Describes each connection with an end on <paramref name="port"/> as the kernel holds it: state, and the bytes
    /// queued to send and to read at each end. For failure messages: it tells a server that stopped sending from a
    /// client whose kernel stopped delivering.
    /// </summary>
    public static string DescribeQueues(int port)
    {
        var lines = new List<string>();
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                // "sl local rem st tx_queue:rx_queue ...", each address "ADDR:PORT" in hex, the queues in hex too.
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                int localPort = PortOf(fields[1]);
                int remotePort = PortOf(fields[2]);
                if (localPort == port || remotePort == port)
                {
                    string[] queues = fields[4].Split(':');
                    lines.Add(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{(localPort == port ? "server" : "client")} end: state {fields[3]}, {long.Parse(queues[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)} bytes to send, {long.Parse(queues[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)} to read"));
                }
            }
        }

        return lines.Count == 0 ? "no connection on the port" : string.Join("; ", lines);
    }

    private static int PortOf(string address) =>
        int.Parse(address.AsSpan(address.LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
