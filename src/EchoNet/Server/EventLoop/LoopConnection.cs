using System.Buffers;
using System.Net;
using EchoNet.Interop;
using EchoNet.Server.Connections;

namespace EchoNet.Server.EventLoop;

/// <summary>
/// A connection of an event loop: a descriptor, the slot it has in its loop's table (with the generation that tells a
/// late event for a closed connection from one for the connection that reused the slot), and the rest of an echo the
/// kernel would not take yet. Only its loop's thread touches it.
/// </summary>
internal sealed class LoopConnection(int fd, int slot, uint generation, IPEndPoint? peer, IPAddress? source, TimeProvider time)
    : TrackedConnection(peer, source, time)
{
    /// <summary>
    /// How many ring buffers may wait behind a send (io_uring): enough that a client pipelining large messages is echoed
    /// without a copy, few enough that one client holds a small share of the ring. Bytes past them are copied and owed.
    /// </summary>
    public const int MaxQueued = 16;

    private byte[]? _owed;
    private int _owedStart;
    private int _owedEnd;
    private int[]? _queued;
    private int _queuedHead;
    private int _queuedCount;

    /// <summary>Gets the descriptor, or -1 once it is closed.</summary>
    public int Fd { get; private set; } = fd;

    public int Slot => slot;

    public uint Generation => generation;

    /// <summary>Gets or sets whether the client has shut its sending side; what is owed is still sent, then ours is shut.</summary>
    public bool ReceivedEnd { get; set; }

    /// <summary>Gets or sets whether a read was left for the next turn so a client that never pauses cannot hold the loop (epoll).</summary>
    public bool ReadPending { get; set; }

    /// <summary>Gets or sets whether a multishot receive is in flight for the connection (io_uring).</summary>
    public bool ReceiveArmed { get; set; }

    /// <summary>Gets or sets whether a wait for room to send is in flight for the connection (io_uring).</summary>
    public bool WritableArmed { get; set; }

    /// <summary>Gets or sets the ring buffer a submitted send is echoing from, or -1 when none is (io_uring).</summary>
    public int SendingBuffer { get; set; } = -1;

    /// <summary>Gets or sets how many bytes the buffer of the submitted send holds (io_uring).</summary>
    public int SendingLength { get; set; }

    /// <summary>Gets or sets how many of them earlier, short sends took already; the submitted send starts there (io_uring).</summary>
    public int SendingOffset { get; set; }

    /// <summary>Gets how many received bytes wait, in the ring buffers they came in, for the sends ahead of them (io_uring).</summary>
    public int QueuedBytes { get; private set; }

    /// <summary>Gets or sets whether receiving stopped because the connection owes too much; it resumes once nothing is owed (io_uring).</summary>
    public bool ReceivePaused { get; set; }

    /// <summary>
    /// Queues a ring buffer of received bytes behind the send under way, to be sent from where it is rather than copied
    /// (io_uring); false when <see cref="MaxQueued"/> already wait. Whatever is owed goes after every queued buffer.
    /// </summary>
    public bool TryQueue(int buffer, int length)
    {
        if (_queuedCount == MaxQueued)
        {
            return false;
        }

        _queued ??= new int[MaxQueued * 2];
        int entry = (_queuedHead + _queuedCount) % MaxQueued;
        _queued[2 * entry] = buffer;
        _queued[(2 * entry) + 1] = length;
        _queuedCount++;
        QueuedBytes += length;
        return true;
    }

    /// <summary>Takes the first queued ring buffer and how many bytes it holds; false when none waits.</summary>
    public bool TryDequeue(out int buffer, out int length)
    {
        if (_queuedCount == 0)
        {
            buffer = length = 0;
            return false;
        }

        buffer = _queued![2 * _queuedHead];
        length = _queued[(2 * _queuedHead) + 1];
        _queuedHead = (_queuedHead + 1) % MaxQueued;
        _queuedCount--;
        QueuedBytes -= length;
        return true;
    }

    /// <summary>Gets how many bytes of echo the kernel has not taken yet; while any are, the client is not read (backpressure).</summary>
    public int OwedCount => _owedEnd - _owedStart;

    /// <summary>Gets the echo still owed.</summary>
    public ReadOnlySpan<byte> Owed => _owed.AsSpan(_owedStart, OwedCount);

    /// <summary>Adds bytes the kernel did not take yet to what is owed, in a pooled buffer that grows as it must.</summary>
    public void Owe(ReadOnlySpan<byte> bytes)
    {
        int owed = OwedCount;
        if (_owed is null || _owedEnd + bytes.Length > _owed.Length)
        {
            byte[] buffer = owed + bytes.Length <= (_owed?.Length ?? 0)
                ? _owed!
                : ArrayPool<byte>.Shared.Rent(Math.Max(owed + bytes.Length, (_owed?.Length ?? 0) * 2));
            Owed.CopyTo(buffer);
            if (buffer != _owed && _owed is not null)
            {
                ArrayPool<byte>.Shared.Return(_owed);
            }

            _owed = buffer;
            _owedStart = 0;
            _owedEnd = owed;
        }

        bytes.CopyTo(_owed.AsSpan(_owedEnd));
        _owedEnd += bytes.Length;
    }

    /// <summary>Puts bytes before what is owed: the rest of a send that was under way when the owed bytes came.</summary>
    public void OweFirst(ReadOnlySpan<byte> bytes)
    {
        if (OwedCount == 0)
        {
            Owe(bytes);
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(bytes.Length + OwedCount);
        bytes.CopyTo(buffer);
        Owed.CopyTo(buffer.AsSpan(bytes.Length));
        int count = bytes.Length + OwedCount;
        ReturnOwed();
        _owed = buffer;
        _owedEnd = count;
    }

    /// <summary>Records that the kernel took <paramref name="count"/> more bytes of what is owed; the buffer goes back once none is.</summary>
    public void Consumed(int count)
    {
        _owedStart += count;
        if (_owedStart == _owedEnd)
        {
            ReturnOwed();
        }
    }

    /// <summary>Closes with a reset at once; called on the loop's thread only (a sweep of its own, or an abort).</summary>
    public override void Reset()
    {
        if (Fd >= 0)
        {
            _ = Linux.CloseWithReset(Fd);
            Fd = -1;
        }
    }

    public override void Close()
    {
        if (Fd >= 0)
        {
            _ = Linux.Close(Fd);
            Fd = -1;
        }

        ReturnOwed();
    }

    private void ReturnOwed()
    {
        if (_owed is not null)
        {
            ArrayPool<byte>.Shared.Return(_owed);
            _owed = null;
        }

        _owedStart = _owedEnd = 0;
    }
}
