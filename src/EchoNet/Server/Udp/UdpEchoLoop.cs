using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;
using EchoNet.Server.Connections;
using EchoNet.Server.Udp;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Udp;

/// <summary>
/// The course's UDP server (§1.4): one thread receives a datagram and sends one datagram with the same bytes back
/// to its source. The buffer holds the largest datagram there is, so nothing is ever truncated; the
/// <see cref="SocketAddress"/> overloads keep the loop free of allocations. Unless it is turned off, the
/// <see cref="UdpGuard"/> vets each source first, so the server cannot be made a loop partner or a reflector.
/// </summary>
internal sealed class UdpEchoLoop : IEchoLoop
{
    /// <summary>At most one drop summary per reason in this time, so a flood cannot flood the log too.</summary>
    internal static readonly TimeSpan DropLogInterval = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly ServerCounters _counters;
    private readonly UdpGuard? _guard;
    private readonly TimeProvider _time;
    private volatile bool _stopping;

    public UdpEchoLoop(Socket socket, ServerContext context)
    {
        _socket = socket;
        _logger = context.Logger;
        _counters = context.Counters;
        _time = context.Time;
        UdpGuardOptions guardOptions = context.Options.UdpGuard;
        ILogger logger = context.Logger;
        if (guardOptions.Enabled)
        {
            long ticksPerSecond = _time.TimestampFrequency;
            var dropLog = new UdpDropLog(logger, (long)(DropLogInterval.TotalSeconds * ticksPerSecond), ticksPerSecond);
            _guard = new UdpGuard(guardOptions, Drops, dropLog, LocalBroadcastAddresses.OfThisHost(), _time.GetTimestamp(), ticksPerSecond);
        }
        else
        {
            Log.UdpGuardDisabled(logger);
        }
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Gets the datagrams dropped by the guard, by reason; all zero when the guard is off.</summary>
    internal UdpDropCounters Drops => _counters.DatagramsDropped;

    public void Start() => Completion = LoopThread.Start("EchoNet udp", Run);

    /// <summary>UDP has no connections to drain: stopping closes the socket at once.</summary>
    public void BeginStop()
    {
        _stopping = true;
        _socket.Dispose();
    }

    public int Abort() => 0;

    private void Run()
    {
        try
        {
            Serve();
        }
        catch (Exception e) when (_stopping && e is SocketException or ObjectDisposedException)
        {
            // The stop closed the socket under the receive: the loop's normal end.
        }
        finally
        {
            // Before Completion, so the last drop summary is written by the time a stop returns.
            _guard?.FlushLog(_time.GetTimestamp());
        }
    }

    private void Serve()
    {
        byte[] buffer = new byte[EchoServerOptions.MaxDatagramSize + 1];
        var source = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, source);
            }
            catch (SocketException e) when (!_stopping && e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP error for an earlier answer (Windows reports those here), or an oversized datagram.
                continue;
            }

            _counters.DatagramReceived(received);
            if (_guard is not null && !_guard.Admit(source, _time.GetTimestamp()))
            {
                continue;
            }

            try
            {
                _socket.SendTo(buffer.AsSpan(0, received), SocketFlags.None, source);
                _counters.DatagramSent(received);
            }
            catch (SocketException e) when (!_stopping)
            {
                // The source cannot be answered (unreachable, no buffer space): drop this one, serve the next.
                Log.DatagramFailed(_logger, source.Family is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.Any, 0).Create(source) : null, e.SocketErrorCode);
            }
        }
    }
}
