using System.Net.Sockets;

namespace EchoNet.Server.Tcp;

/// <summary>Turns Nagle's algorithm off on a TCP connection; a Unix socket has none, and setting the option there fails.</summary>
internal static class NoDelay
{
    public static void Set(Socket client)
    {
        if (client.ProtocolType == ProtocolType.Tcp)
        {
            client.NoDelay = true;
        }
    }
}
