using System.Buffers;

namespace EchoNet.Server.Connections;

/// <summary>
/// Bytes a select-model client has sent that the server has not yet managed to send back, in order. Holds a pooled
/// buffer only while something is owed.
/// </summary>
internal sealed class OwedEcho(int capacity)
{
    private byte[]? _buffer;
    private int _start;

    /// <summary>Gets how many bytes are owed.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the owed bytes, oldest first.</summary>
    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, Count);

    /// <summary>Queues bytes after those already owed; the caller keeps the total within the capacity.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        _buffer ??= ArrayPool<byte>.Shared.Rent(capacity);
        if (_start + Count + bytes.Length > _buffer.Length)
        {
            Pending.CopyTo(_buffer);
            _start = 0;
        }

        bytes.CopyTo(_buffer.AsSpan(_start + Count));
        Count += bytes.Length;
    }

    /// <summary>Drops bytes that have been sent; gives the buffer back once nothing is owed.</summary>
    public void Consume(int sent)
    {
        _start += sent;
        Count -= sent;
        if (Count == 0)
        {
            Release();
        }
    }

    /// <summary>Gives the buffer back to the pool.</summary>
    public void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _start = 0;
        Count = 0;
    }
}
