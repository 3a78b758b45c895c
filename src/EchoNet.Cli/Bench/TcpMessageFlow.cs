using System.Net.Sockets;

namespace EchoNet.Cli.Bench;

/// <summary>
/// What one TCP connection of a bench has sent and had echoed: hands out the next batch of messages the window
/// allows, verifies every echoed byte against what was sent, and times each message from its send to the last byte
/// of its echo. The I/O is the caller's (async sockets, or the epoll loop).
/// </summary>
internal sealed class TcpMessageFlow
{
    private readonly int _size;
    private readonly int _window;
    private readonly MessagePattern _pattern;
    private readonly byte[] _sendBuffer;
    private readonly long[] _sentAt;
    private long _sent;
    private long _echoed;
    private int _echoedOfCurrent;
    private long _lastProgress;

    public TcpMessageFlow(BenchSettings settings, int index, LatencyHistogram? sharedLatency = null)
    {
        Counters = new BenchCounters(sharedLatency);
        _size = settings.Size;
        _window = settings.Window;
        _pattern = new MessagePattern(settings.Size, seed: index);
        _sendBuffer = _window > 1 ? new byte[_size * _window] : [];
        _sentAt = new long[_window];
        ReceiveBufferSize = Math.Clamp(_size * _window, 4_096, 65_536);
    }

    public BenchCounters Counters { get; }

    public int ReceiveBufferSize { get; }

    public long LastProgress => Volatile.Read(ref _lastProgress);

    /// <summary>Gets a value indicating whether messages were sent whose echo has not fully come back.</summary>
    public bool HasInFlight => _echoed < _sent;

    public void MarkProgress(long now) => Volatile.Write(ref _lastProgress, now);

    /// <summary>
    /// The messages the window has room for, as one buffer to send whole; empty when it is full. The buffer stays
    /// valid until the next call, which the caller makes only once this one is sent.
    /// </summary>
    public ReadOnlyMemory<byte> TakeBatch(long now)
    {
        int count = (int)(_window - (_sent - _echoed));
        if (count <= 0)
        {
            return ReadOnlyMemory<byte>.Empty;
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
        return batch;
    }

    /// <summary>Counts and verifies what one receive returned; false when the connection must end (end of stream, or a wrong byte).</summary>
    public bool OnReceived(ReadOnlySpan<byte> data, long now, BenchClock clock)
    {
        if (data.IsEmpty)
        {
            Counters.EndsOfStream++;
            Counters.Undrained += _sent - _echoed;
            return false;
        }

        long before = _echoed;
        if (!Verify(data, now, clock))
        {
            Counters.Mismatches++;
            return false;
        }

        Counters.AddEchoed(_echoed - before);
        MarkProgress(now);
        return true;
    }

    /// <summary>Counts why the connection ended early: stalled, abandoned at the end of the drain, or a socket error.</summary>
    public void CountEnd(BenchEnd end, SocketError error = SocketError.Success)
    {
        Counters.Undrained += _sent - _echoed;
        switch (end)
        {
            case BenchEnd.TimedOut:
                Counters.Timeouts++;
                break;
            case BenchEnd.Abandoned:
                break;
            case BenchEnd.Failed when error is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted:
                Counters.Resets++;
                break;
            default:
                Counters.OtherErrors++;
                break;
        }
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
}
