using System.Net;
using System.Net.Sockets;

namespace EchoNet.Client;

/// <summary>Opens a TCP connection to the first address of a host that accepts, within one overall timeout.</summary>
internal static class TcpConnector
{
    public static async Task<Socket> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var tried = new List<IPEndPoint>(2);
        try
        {
            IReadOnlyList<IPAddress> addresses = await HostResolver.ResolveAsync(host, port, EchoTransports.Tcp, deadline.Token).ConfigureAwait(false);
            SocketException? refused = null;
            SocketException? last = null;
            foreach (IPAddress address in addresses)
            {
                var endPoint = new IPEndPoint(address, port);
                tried.Add(endPoint);
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(endPoint, deadline.Token).ConfigureAwait(false);
                    socket.NoDelay = true;
                    return socket;
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    last = e;
                    if (e.SocketErrorCode == SocketError.ConnectionRefused)
                    {
                        refused = e;
                    }
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            // A refusal says the most (the host is there, the server is not), so it wins over other failures.
            throw EchoConnectException.From(refused ?? last!, host, port, EchoTransports.Tcp, tried);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw EchoConnectException.TimedOut(host, port, timeout, tried);
        }
    }
}
