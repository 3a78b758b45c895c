using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EchoNet.Client;

/// <summary>Opens a TCP connection to the first address of a host that accepts, within one overall timeout.</summary>
internal static class TcpConnector
{
    public static async Task<Socket> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var tried = new List<IPEndPoint>(2);
        try
        {
            IReadOnlyList<IPAddress> addresses = await HostResolver.ResolveAsync(host, port, EchoTransports.Tcp, deadline.Token).ConfigureAwait(false);
            SocketException? refused = null;
            SocketException? last = null;
            for (int i = 0; i < addresses.Count; i++)
            {
                var endPoint = new IPEndPoint(addresses[i], port);
                tried.Add(endPoint);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);

                // An address that never answers may take only its share of what is left, so the next ones get a turn.
                if (timeout != Timeout.InfiniteTimeSpan && i < addresses.Count - 1)
                {
                    TimeSpan left = timeout - Stopwatch.GetElapsedTime(started);
                    attempt.CancelAfter(left > TimeSpan.Zero ? left / (addresses.Count - i) : TimeSpan.Zero);
                }

                var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(endPoint, attempt.Token).ConfigureAwait(false);
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
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    socket.Dispose();
                    last = new SocketException((int)SocketError.TimedOut);
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
