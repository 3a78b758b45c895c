using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary>
/// A provided-buffer ring: buffers of one size that the kernel picks from for each receive, so a connection holds a
/// buffer only while its bytes are being echoed, and an idle one holds none. A buffer goes back with <see cref="Return"/>
/// once its echo is sent or kept elsewhere. Shared by the connections of one loop, used by its thread only.
/// </summary>
internal sealed unsafe class ProvidedBufferRing : IDisposable
{
    private const nuint PageSize = 4096;

    private readonly IoUringBuffer* _ring;
    private readonly byte* _memory;
    private readonly ushort _mask;
    private ushort _tail;
    private bool _disposed;

    /// <summary>Allocates <paramref name="count"/> buffers (a power of two, at most 32,768) of <paramref name="size"/> bytes and registers them.</summary>
    /// <exception cref="IOException">The kernel refused the ring (kernels before 5.19 have none); <see cref="Exception.HResult"/> is the errno.</exception>
    public ProvidedBufferRing(IoUringRing uring, int count, int size, ushort group)
    {
        Count = count;
        Size = size;
        Group = group;
        _mask = (ushort)(count - 1);
        _ring = (IoUringBuffer*)NativeMemory.AlignedAlloc((nuint)(count * sizeof(IoUringBuffer)), PageSize);
        NativeMemory.Clear(_ring, (nuint)(count * sizeof(IoUringBuffer)));
        _memory = (byte*)NativeMemory.AlignedAlloc((nuint)count * (nuint)size, PageSize);
        int errno = uring.RegisterBufferRing(_ring, (uint)count, group);
        if (errno != 0)
        {
            NativeMemory.AlignedFree(_memory);
            NativeMemory.AlignedFree(_ring);
            _disposed = true;
            throw new IOException($"io_uring_register(IORING_REGISTER_PBUF_RING) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
        }

        for (int id = 0; id < count; id++)
        {
            Return(id);
        }
    }

    public int Count { get; }

    public int Size { get; }

    public ushort Group { get; }

    /// <summary>Gets how many buffers the kernel holds, ready for receives.</summary>
    public int Available { get; private set; }

    /// <summary>Gets the bytes of buffer <paramref name="id"/>.</summary>
    public byte* this[int id] => _memory + ((nuint)id * (nuint)Size);

    /// <summary>Records that the kernel filled a buffer: it is the loop's until <see cref="Return"/>.</summary>
    public void Taken() => Available--;

    /// <summary>Gives buffer <paramref name="id"/> back to the kernel for a later receive.</summary>
    public void Return(int id)
    {
        IoUringBuffer* entry = &_ring[_tail & _mask];
        entry->Address = (ulong)this[id];
        entry->Length = (uint)Size;
        entry->Id = (ushort)id;

        // The tail shares its place with the first entry's reserved field; the kernel reads it with acquire order.
        _tail++;
        Volatile.Write(ref *(ushort*)((byte*)_ring + 14), _tail);
        Available++;
    }

    /// <summary>Frees the memory; only once the ring it was registered with is closed and nothing is in flight.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NativeMemory.AlignedFree(_memory);
        NativeMemory.AlignedFree(_ring);
    }
}
