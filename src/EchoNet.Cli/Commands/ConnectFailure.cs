using System.Net.Sockets;

namespace EchoNet.Cli.Commands;

/// <summary>
/// What <c>echonet client</c> says when it cannot reach its server. A refused connection suggests <c>echonet serve</c>,
/// which whoever has this tool can run, in place of the library's suggestion to run a sample from the source tree.
/// </summary>
internal static class ConnectFailure
{
    public static string Describe(EchoConnectException e)
    {
        if (e.SocketError != SocketError.ConnectionRefused)
        {
            return e.Message;
        }

        bool udp = e.Transport == EchoTransports.Udp;
        string serve = udp ? $"echonet serve --transport udp --port {e.Port}" : $"echonet serve --port {e.Port}";
        return $"{WhatHappened(e, udp)} Is an echo server running on that port? Start one with `{serve}`, or check the port number.";
    }

    // The library's first sentence names the addresses tried; its advice follows in the next.
    private static string WhatHappened(EchoConnectException e, bool udp)
    {
        int end = e.Message.IndexOf(". ", StringComparison.Ordinal);
        if (end > 0)
        {
            return e.Message[..(end + 1)];
        }

        return udp
            ? $"No UDP echo server at {e.Host} port {e.Port}: the port is unreachable."
            : $"Cannot connect to {e.Host} port {e.Port} (TCP): the connection was refused.";
    }
}
