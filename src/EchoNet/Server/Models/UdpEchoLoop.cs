using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Models;

/// <summary>
/// The course's UDP server (§1.4): one thread receives a datagram and sends one datagram with the same bytes back
/// to its source. The buffer holds the largest datagram there is, so nothing is ever truncated; the
/// <see cref="SocketAddress"/> overloads keep the loop free of allocations.
/// </summary>
internal sealed class UdpEchoLoop(Socket socket, ILogger logger) : IEchoLoop
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    public Task Completion => _completion.Task;

    public void Start() => new Thread(Run) { IsBackground = true, Name = "EchoNet udp" }.Start();

    /// <summary>UDP has no connections to drain: stopping closes the socket at once.</summary>
    public void BeginStop()
    {
        _stopping = true;
        socket.Dispose();
    }

    public int Abort() => 0;

    private void Run()
    {
        try
        {
            byte[] buffer = new byte[EchoServerOptions.MaxDatagramSize + 1];
            var source = new SocketAddress(socket.AddressFamily);
            while (!_stopping)
            {
                int received;
                try
                {
                    received = socket.ReceiveFrom(buffer, SocketFlags.None, source);
                }
                catch (SocketException e) when (!_stopping && e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    // An ICMP error for an earlier answer (Windows reports those here), or an oversized datagram.
                    continue;
                }

                try
                {
                    socket.SendTo(buffer.AsSpan(0, received), SocketFlags.None, source);
                }
                catch (SocketException e) when (!_stopping)
                {
                    // The source cannot be answered (unreachable, no buffer space): drop this one, serve the next.
                    Log.DatagramFailed(logger, source.Family is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.Any, 0).Create(source) : null, e.SocketErrorCode);
                }
            }

            _completion.TrySetResult();
        }
        catch (Exception e) when (_stopping && e is SocketException or ObjectDisposedException)
        {
            _completion.TrySetResult();
        }
#pragma warning disable CA1031 // The failure is the loop's result: it faults the server's Completion.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _completion.TrySetException(e);
        }
    }
}
