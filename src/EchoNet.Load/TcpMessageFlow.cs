using System.Net.Sockets;
using System.Numerics;

namespace EchoNet.Load;

/// <summary>
/// What one TCP connection of a bench has sent and had echoed: hands out the next batch of messages (what the window
/// has room for in a closed loop, what is due in rate mode), verifies every echoed byte against what was sent, and
/// times each message to the last byte of its echo, from its send (closed loop) or from its intended send time (rate
/// mode). The I/O is the caller's (async sockets, or the epoll loop).
/// </summary>
internal sealed class TcpMessageFlow
{
    private readonly int _size;
    private readonly int _window;
    private readonly int _index;
    private readonly int _connections;
    private readonly BenchSettings _settings;
    private readonly MessagePattern _pattern;
    private readonly long[] _sentAt;
    private byte[] _sendBuffer = [];
    private SendSchedule? _schedule;
    private long _sent;
    private long _echoed;
    private int _echoedOfCurrent;
    private long _lastProgress;

    /// <summary>Initializes connection <paramref name="index"/> of <paramref name="connections"/> (rate mode deals the schedule among them).</summary>
    public TcpMessageFlow(BenchSettings settings, int index, int connections, BenchCounters counters)
    {
        Counters = counters;
        _settings = settings;
        _size = settings.Size;
        _window = settings.Window;
        _index = index;
        _connections = connections;
        _pattern = new MessagePattern(settings.Size, seed: index);
        _sentAt = new long[_window];
        ReceiveBufferSize = Math.Clamp(_size * _window, 4_096, 65_536);
    }

    public BenchCounters Counters { get; }

    public int ReceiveBufferSize { get; }

    public long LastProgress => Volatile.Read(ref _lastProgress);

    /// <summary>Gets a value indicating whether messages were sent whose echo has not fully come back.</summary>
    public bool HasInFlight => _echoed < _sent;

    /// <summary>Gets a value indicating whether the connection is done sending: the measured time is over, and in rate mode every message due within it has gone out.</summary>
    public bool IsDoneSending(long now, BenchClock clock) => _schedule is null
        ? now >= clock.MeasureUntil
        : _schedule.DueAt(_sent) >= clock.MeasureUntil;

    /// <summary>Marks the start: the progress watch and, in rate mode, the schedule count from here.</summary>
    public void Begin(long now, BenchClock clock)
    {
        MarkProgress(now);
        if (_settings.Mode == BenchMode.Rate)
        {
            _schedule = new SendSchedule(clock.Started, System.Diagnostics.Stopwatch.Frequency / _settings.Rate, _index, _connections);
        }
    }

    public void MarkProgress(long now) => Volatile.Write(ref _lastProgress, now);

    /// <summary>
    /// The messages to send now, as one buffer to send whole; empty when there are none. Closed loop: as many as the
    /// window has room for, until the measured time is over. Rate mode: those due by <paramref name="now"/> (and
    /// before the end of the measured time), as many as the window has room for. The buffer stays valid until the
    /// next call, which the caller makes only once this one is sent.
    /// </summary>
    public ReadOnlyMemory<byte> TakeBatch(long now, BenchClock clock)
    {
        int count = (int)(_window - (_sent - _echoed));
        if (_schedule is null && now >= clock.MeasureUntil)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (_schedule is not null)
        {
            long until = Math.Min(now, clock.MeasureUntil - 1);
            int due = 0;
            while (due < count && _schedule.DueAt(_sent + due) <= until)
            {
                due++;
            }

            count = due;
        }

        if (count <= 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (!HasInFlight)
        {
            // Nothing was owed until now (rate mode between messages), so the stall watch counts from here.
            MarkProgress(now);
        }

        ReadOnlyMemory<byte> batch;
        if (_window == 1)
        {
            batch = _pattern.Message(_sent);
        }
        else
        {
            if (_sendBuffer.Length < count * _size)
            {
                // Grown to the largest batch yet (the whole window in a closed loop; rate mode's batches are mostly one message).
                _sendBuffer = new byte[Math.Min(_window, (int)BitOperations.RoundUpToPowerOf2((uint)count)) * _size];
            }

            for (int i = 0; i < count; i++)
            {
                _pattern.Message(_sent + i).Span.CopyTo(_sendBuffer.AsSpan(i * _size));
            }

            batch = _sendBuffer.AsMemory(0, count * _size);
        }

        for (int i = 0; i < count; i++)
        {
            long message = _sent + i;
            if (_schedule is null)
            {
                _sentAt[message % _window] = now;
                continue;
            }

            long dueAt = _schedule.DueAt(message);
            _sentAt[message % _window] = dueAt;
            if (dueAt >= clock.MeasureFrom)
            {
                long lag = now - dueAt;
                Counters.SendLag.Record(BenchClock.ToNanoseconds(lag));
                if (lag > BenchResult.LateSendTicks)
                {
                    Counters.LateSends++;
                }
            }
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
                long startedAt = _sentAt[_echoed % _window];

                // Closed loop: what completed within the measured time. Rate mode: what was due within it, however late it came back.
                long countedAt = _schedule is null ? now : startedAt;
                if (countedAt >= clock.MeasureFrom && countedAt < clock.MeasureUntil)
                {
                    Counters.Measured++;
                    Counters.Latency.Record(BenchClock.ToNanoseconds(now - startedAt));
                }

                _echoed++;
                _echoedOfCurrent = 0;
            }
        }

        return true;
    }
}
