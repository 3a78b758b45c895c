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
                string local = fields[1];
                int localPort = int.Parse(local.AsSpan(local.LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPort == port && fields[3] is Established or CloseWait)
                {
                    held++;
                }
            }
        }

        return held;
    }
}
