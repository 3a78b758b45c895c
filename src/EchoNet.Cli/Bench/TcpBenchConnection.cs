using System.Diagnostics;
using System.Net.Sockets;

namespace EchoNet.Cli.Bench;

/// <summary>
/// One TCP connection of a bench run: keeps up to a window of messages in flight, verifies every echoed byte against
/// what was sent, and times each message from its send to the last byte of its echo.
/// </summary>
/// <remarks>
/// One loop does both directions: sends start without being awaited while the loop reads, so a message larger than
/// the socket buffers cannot deadlock against a server that echoes while it reads.
/// </remarks>
internal sealed class TcpBenchConnection : IBenchClient
{
    private const int Running = 0;
    private const int TimedOut = 1;
    private const int Abandoned = 2;

    private readonly Socket _socket;
    private readonly int _size;
    private readonly int _window;
    private readonly MessagePattern _pattern;
    private readonly byte[] _sendBuffer;
    private readonly byte[] _receiveBuffer;
    private readonly long[] _sentAt;
    private ValueTask<int> _pendingSend;
    private long _sent;
    private long _echoed;
    private int _echoedOfCurrent;
    private long _lastProgress;
    private int _state;

    private TcpBenchConnection(Socket socket, BenchSettings settings, int index)
    {
        _socket = socket;
        _size = settings.Size;
        _window = settings.Window;
        _pattern = new MessagePattern(settings.Size, seed: index);
        _sendBuffer = _window > 1 ? new byte[_size * _window] : [];
        _receiveBuffer = new byte[Math.Clamp(_size * _window, 4_096, 65_536)];
        _sentAt = new long[_window];
    }

    public BenchCounters Counters { get; } = new();

    public long LastProgress => Volatile.Read(ref _lastProgress);

    public static async Task<TcpBenchConnection?> ConnectAsync(BenchSettings settings, int index, BenchCounters failures, CancellationToken cancellationToken)
    {
        var socket = new Socket(settings.Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(settings.Target, timeout.Token).ConfigureAwait(false);
            return new TcpBenchConnection(socket, settings, index);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            lock (failures)
            {
                failures.ConnectFailures++;
            }

            return null;
        }
    }

    /// <summary>Stops the connection from outside: <paramref name="timedOut"/> when it made no progress for too long, otherwise at the end of the drain.</summary>
    public void Abort(bool timedOut)
    {
        if (Interlocked.CompareExchange(ref _state, timedOut ? TimedOut : Abandoned, Running) == Running)
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
            Volatile.Write(ref _lastProgress, now);
            SendMore(now);
            while (true)
            {
                int count = await _socket.ReceiveAsync(_receiveBuffer, SocketFlags.None).ConfigureAwait(false);
                now = Stopwatch.GetTimestamp();
                if (!OnReceived(count, now, clock))
                {
                    break;
                }

                if (_echoed < _sent && !_pendingSend.IsCompleted)
                {
                    // Still sending: keep reading, so the server never blocks on this client.
                    continue;
                }

                // Either the send is done, or everything sent came back and its completion is merely not seen yet.
                await _pendingSend.ConfigureAwait(false);
                _pendingSend = default;
                if (now < clock.MeasureUntil)
                {
                    SendMore(now);
                }
                else if (_echoed == _sent)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Classify(e);
        }
        finally
        {
            _socket.Dispose();
        }
    }

    /// <summary>Counts and verifies one receive; false when the connection must end (end of stream or a wrong byte).</summary>
    private bool OnReceived(int count, long now, BenchClock clock)
    {
        if (count == 0)
        {
            Counters.EndsOfStream++;
            Counters.Undrained += _sent - _echoed;
            return false;
        }

        long before = _echoed;
        if (!Verify(_receiveBuffer.AsSpan(0, count), now, clock))
        {
            Counters.Mismatches++;
            return false;
        }

        Counters.AddEchoed(_echoed - before);
        Volatile.Write(ref _lastProgress, now);
        return true;
    }

    private bool Verify(ReadOnlySpan<byte> data, long now, BenchClock clock)
    {
        while (!data.IsEmpty)
        {
            if (_echoed == _sent)
            {
                // Bytes nobody sent: the server duplicated or invented them.
                return false;
            }

            ReadOnlySpan<byte> expected = _pattern.Message(_echoed).Span[_echoedOfCurrent..];
            int length = Math.Min(expected.Length, data.Length);
            if (!data[..length].SequenceEqual(expected[..length]))
            {
                return false;
            }

            data = data[length..];
            _echoedOfCurrent += length;
            if (_echoedOfCurrent == _size)
            {
                if (now >= clock.MeasureFrom && now < clock.MeasureUntil)
                {
                    Counters.Measured++;
                    Counters.Latency.Record(BenchClock.ToNanoseconds(now - _sentAt[_echoed % _window]));
                }

                _echoed++;
                _echoedOfCurrent = 0;
            }
        }

        return true;
    }

    private void SendMore(long now)
    {
        int count = (int)(_window - (_sent - _echoed));
        if (count <= 0)
        {
            return;
        }

        ReadOnlyMemory<byte> batch;
        if (_window == 1)
        {
            batch = _pattern.Message(_sent);
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                _pattern.Message(_sent + i).Span.CopyTo(_sendBuffer.AsSpan(i * _size));
            }

            batch = _sendBuffer.AsMemory(0, count * _size);
        }

        for (int i = 0; i < count; i++)
        {
            _sentAt[(_sent + i) % _window] = now;
        }

        _sent += count;
#pragma warning disable CA2012 // Kept so the loop reads while it sends; awaited exactly once, in RunAsync.
        _pendingSend = _socket.SendAsync(batch, SocketFlags.None);
#pragma warning restore CA2012
    }

    private void Classify(Exception error)
    {
        long owed = _sent - _echoed;
        switch (Volatile.Read(ref _state))
        {
            case TimedOut:
                Counters.Timeouts++;
                Counters.Undrained += owed;
                break;
            case Abandoned:
                Counters.Undrained += owed;
                break;
            default:
                if (error is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted })
                {
                    Counters.Resets++;
                }
                else
                {
                    Counters.OtherErrors++;
                }

                Counters.Undrained += owed;
                break;
        }
    }
}
