using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;

namespace EchoNet.Load;

/// <summary>
/// One UDP client of a bench run, on a thread of its own with a blocking socket (the cheapest path per datagram):
/// sends a datagram, waits for its answer up to the loss timeout, verifies it, sends the next.
/// </summary>
/// <remarks>Datagrams of 8 bytes or more carry their sequence number first, so a late answer is told apart from a wrong one.</remarks>
internal sealed class UdpBenchClient : IBenchClient
{
    private const int SequenceBytes = sizeof(long);
    private readonly Socket _socket;
    private readonly MessagePattern _pattern;
    private readonly byte[] _sendBuffer;
    private readonly byte[] _receiveBuffer = new byte[65_536];
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastProgress;
    private volatile bool _aborted;

    private UdpBenchClient(Socket socket, BenchSettings settings, int index, BenchCounters counters)
    {
        _socket = socket;
        Counters = counters;
        _pattern = new MessagePattern(settings.Size, seed: index);
        _sendBuffer = new byte[settings.Size];
    }

    public BenchCounters Counters { get; }

    /// <summary>A client whose socket is connected to the server, so it reads only the server's answers.</summary>
    public static UdpBenchClient Create(BenchSettings settings, int index, BenchCounters counters)
    {
        var socket = new Socket(settings.Target.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveTimeout = (int)Math.Max(1, settings.DatagramTimeout.TotalMilliseconds),
        };
        try
        {
            socket.Connect(settings.Target);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new UdpBenchClient(socket, settings, index, counters);
    }

    public long LastProgress => Volatile.Read(ref _lastProgress);

    public Task RunAsync(BenchClock clock)
    {
        var thread = new Thread(() => Run(clock), maxStackSize: 256 * 1024) { IsBackground = true, Name = "echonet bench udp" };
        thread.Start();
        return _finished.Task;
    }

    public void Abort(bool timedOut)
    {
        if (!_aborted)
        {
            _aborted = true;
            if (timedOut)
            {
                Counters.Timeouts++;
            }

            _socket.Dispose();
        }
    }

    private void Run(BenchClock clock)
    {
        try
        {
            Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());
            for (long sequence = 0; !_aborted && Stopwatch.GetTimestamp() < clock.MeasureUntil; sequence++)
            {
                if (!Exchange(sequence, clock))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            if (!_aborted)
            {
                Counters.OtherErrors++;
            }
        }
        finally
        {
            _socket.Dispose();
            _finished.TrySetResult();
        }
    }

    /// <summary>One datagram and its answer; false when the client must stop (nothing listens, or a wrong answer).</summary>
    private bool Exchange(long sequence, BenchClock clock)
    {
        ReadOnlySpan<byte> expected = Fill(sequence);
        long sentAt = Stopwatch.GetTimestamp();
        _socket.Send(_sendBuffer);
        while (true)
        {
            int count;
            try
            {
                count = _socket.Receive(_receiveBuffer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                Counters.Lost++;
                return true;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                Counters.OtherErrors++;
                return false;
            }

            long now = Stopwatch.GetTimestamp();
            if (count == expected.Length && expected.Length >= SequenceBytes && BinaryPrimitives.ReadInt64LittleEndian(_receiveBuffer) < sequence)
            {
                // The answer to a datagram already counted as lost: late, not wrong.
                Counters.Late++;
                continue;
            }

            if (!_receiveBuffer.AsSpan(0, count).SequenceEqual(expected))
            {
                Counters.Mismatches++;
                return false;
            }

            Counters.AddEchoed(1);
            Volatile.Write(ref _lastProgress, now);
            if (now >= clock.MeasureFrom && now < clock.MeasureUntil)
            {
                Counters.Measured++;
                Counters.Latency.Record(BenchClock.ToNanoseconds(now - sentAt));
            }

            return true;
        }
    }

    private ReadOnlySpan<byte> Fill(long sequence)
    {
        _pattern.Message(sequence).Span.CopyTo(_sendBuffer);
        if (_sendBuffer.Length >= SequenceBytes)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_sendBuffer, sequence);
        }

        return _sendBuffer;
    }
}
