using System.Net.Sockets;

namespace EchoNet.Cli.Commands;

/// <summary>
/// What <c>echonet client</c> says when it cannot reach its server: the library's message, and for a refused
/// connection the command that starts a server with this tool.
/// </summary>
internal static class ConnectFailure
{
    public static string Describe(EchoConnectException e)
    {
        if (e.Transport == EchoTransports.Unix && e.SocketError is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            return $"{e.Message} With this tool: `echonet serve --unix {e.Host}`.";
        }

        if (e.SocketError != SocketError.ConnectionRefused)
        {
            return e.Message;
        }

        string serve = e.Transport == EchoTransports.Udp ? $"echonet serve --transport udp --port {e.Port}" : $"echonet serve --port {e.Port}";
        return $"{e.Message} With this tool: `{serve}`.";
    }
}
