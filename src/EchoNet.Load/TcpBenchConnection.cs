using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;

namespace EchoNet.Load;

/// <summary>
/// One TCP connection of a closed-loop bench run on the runtime's async sockets: the portable driver, and the one for
/// TLS (plain TCP on Linux on x64 and arm64 runs on <see cref="Epoll.EpollTcpLoop"/>, which also runs rate mode). The
/// <see cref="TcpMessageFlow"/> decides what to send and verifies the echo.
/// </summary>
/// <remarks>
/// One loop does both directions: sends start without being awaited while the loop reads, so a message larger than
/// the socket buffers cannot deadlock against a server that echoes while it reads.
/// </remarks>
internal sealed class TcpBenchConnection : IBenchClient
{
    private const int Running = 0;

    private readonly Socket _socket;
    private readonly SslStream? _tls;
    private readonly TcpMessageFlow _flow;
    private readonly byte[] _receiveBuffer;
    private ValueTask<int> _pendingSend;
    private ValueTask _pendingTlsSend;
    private int _end = Running;

    public TcpBenchConnection(Socket socket, BenchSettings settings, int index, int connections, BenchCounters counters, SslStream? tls = null)
    {
        _socket = socket;
        _tls = tls;
        _flow = new TcpMessageFlow(settings, index, connections, counters);
        _receiveBuffer = new byte[_flow.ReceiveBufferSize];
    }

    public BenchCounters Counters => _flow.Counters;

    public long LastProgress => _flow.LastProgress;

    public void Abort(bool timedOut)
    {
        int end = 1 + (int)(timedOut ? BenchEnd.TimedOut : BenchEnd.Abandoned);
        if (Interlocked.CompareExchange(ref _end, end, Running) == Running)
        {
            _socket.Dispose();
        }
    }

    public async Task RunAsync(BenchClock clock)
    {
        // One loop, one state machine for the connection's life: nothing is allocated per message.
        try
        {
            long now = Stopwatch.GetTimestamp();
            _flow.Begin(now, clock);
            Send(now, clock);
            while (true)
            {
                int count = _tls is null
                    ? await _socket.ReceiveAsync(_receiveBuffer, SocketFlags.None).ConfigureAwait(false)
                    : await _tls.ReadAsync(_receiveBuffer).ConfigureAwait(false);
                now = Stopwatch.GetTimestamp();
                if (!_flow.OnReceived(_receiveBuffer.AsSpan(0, count), now, clock))
                {
                    break;
                }

                if (_flow.HasInFlight && !(_pendingSend.IsCompleted && _pendingTlsSend.IsCompleted))
                {
                    // Still sending: keep reading, so the server never blocks on this client.
                    continue;
                }

                // Either the send is done, or everything sent came back and its completion is merely not seen yet.
                await _pendingSend.ConfigureAwait(false);
                await _pendingTlsSend.ConfigureAwait(false);
                _pendingSend = default;
                _pendingTlsSend = default;
                if (now < clock.MeasureUntil)
                {
                    Send(now, clock);
                }
                else if (!_flow.HasInFlight)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            int end = Volatile.Read(ref _end);
            SocketException? error = e as SocketException ?? e.InnerException as SocketException;
            _flow.CountEnd(end == Running ? BenchEnd.Failed : (BenchEnd)(end - 1), error?.SocketErrorCode ?? SocketError.OperationAborted);
        }
        finally
        {
            _tls?.Dispose();
            _socket.Dispose();
        }
    }

    private void Send(long now, BenchClock clock)
    {
        ReadOnlyMemory<byte> batch = _flow.TakeBatch(now, clock);
        if (!batch.IsEmpty)
        {
#pragma warning disable CA2012 // Kept so the loop reads while it sends; awaited exactly once, in RunAsync.
            if (_tls is null)
            {
                _pendingSend = _socket.SendAsync(batch, SocketFlags.None);
            }
            else
            {
                _pendingTlsSend = _tls.WriteAsync(batch);
            }
#pragma warning restore CA2012
        }
    }
}
