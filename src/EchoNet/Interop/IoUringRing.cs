using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary>
/// One io_uring instance with its submission and completion rings mapped, used by one thread only (it is set up with
/// <c>IORING_SETUP_SINGLE_ISSUER</c> where the kernel has it, so it must be made on the thread that submits).
/// Submissions are written into the ring and handed to the kernel with the next wait; completions are taken in batches.
/// </summary>
internal sealed unsafe class IoUringRing : IDisposable
{
    /// <summary>
    /// The optional setup flags, newest kernel first: a kernel that refuses the set (EINVAL) is asked again without the
    /// first flag left, and so on, down to none.
    /// </summary>
    private static readonly uint[] OptionalFlags =
    [
        IoUring.SetupDeferTaskRun,
        IoUring.SetupSingleIssuer,
        IoUring.SetupCoopTaskRun,
        IoUring.SetupSubmitAll,
    ];

    private readonly int _fd;
    private readonly void* _rings;
    private readonly nuint _ringsLength;
    private readonly IoUringSqe* _sqes;
    private readonly nuint _sqesLength;
    private readonly uint* _sqHead;
    private readonly uint* _sqTail;
    private readonly uint _sqMask;
    private readonly uint _sqEntries;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly IoUringCqe* _cqes;
    private uint _sqLocalTail;
    private uint _unsubmitted;
    private bool _disposed;

    private IoUringRing(int fd, in IoUringParams p)
    {
        _fd = fd;
        Flags = p.Flags;
        Features = p.Features;
        nuint sqLength = p.SqOffsets.Array + (p.SqEntries * sizeof(uint));
        nuint cqLength = p.CqOffsets.Cqes + (p.CqEntries * (uint)sizeof(IoUringCqe));
        _ringsLength = Math.Max(sqLength, cqLength);

        // Kernels since 5.4 map both rings with one mmap; the setup refuses older ones (see Create).
        _rings = IoUring.MapRing(fd, _ringsLength, IoUring.OffsetSqRing);
        if (_rings is null)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = Linux.Close(fd);
            throw Failure("mmap of the io_uring rings", errno);
        }

        _sqesLength = p.SqEntries * (uint)sizeof(IoUringSqe);
        _sqes = (IoUringSqe*)IoUring.MapRing(fd, _sqesLength, IoUring.OffsetSqes);
        if (_sqes is null)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = IoUring.Unmap(_rings, _ringsLength);
            _ = Linux.Close(fd);
            throw Failure("mmap of the io_uring submissions", errno);
        }

        byte* rings = (byte*)_rings;
        _sqHead = (uint*)(rings + p.SqOffsets.Head);
        _sqTail = (uint*)(rings + p.SqOffsets.Tail);
        _sqMask = *(uint*)(rings + p.SqOffsets.RingMask);
        _sqEntries = *(uint*)(rings + p.SqOffsets.RingEntries);
        _sqLocalTail = *_sqTail;

        // The submission array maps ring slots to submissions; an identity map lets slot i always hold submission i.
        uint* array = (uint*)(rings + p.SqOffsets.Array);
        for (uint i = 0; i < _sqEntries; i++)
        {
            array[i] = i;
        }

        _cqHead = (uint*)(rings + p.CqOffsets.Head);
        _cqTail = (uint*)(rings + p.CqOffsets.Tail);
        _cqMask = *(uint*)(rings + p.CqOffsets.RingMask);
        _cqes = (IoUringCqe*)(rings + p.CqOffsets.Cqes);
    }

    /// <summary>Gets the setup flags the kernel took.</summary>
    public uint Flags { get; }

    /// <summary>Gets the features the kernel reported.</summary>
    public uint Features { get; }

    /// <summary>Gets the ring's descriptor.</summary>
    public int Fd => _fd;

    /// <summary>
    /// Sets up a ring of <paramref name="entries"/> submissions and <paramref name="completions"/> completions (the
    /// kernel clamps both to what it allows), with the newest optional flags the kernel takes.
    /// </summary>
    /// <exception cref="IOException">The kernel refused io_uring, or lacks what EchoNet needs of it; <see cref="Exception.HResult"/> is the errno.</exception>
    public static IoUringRing Create(uint entries, uint completions)
    {
        int errno = TrySetup(entries, completions, out int fd, out IoUringParams p);
        if (errno != 0)
        {
            throw Failure("io_uring_setup", errno);
        }

        const uint Needed = IoUring.FeatureSingleMmap | IoUring.FeatureNoDrop | IoUring.FeatureExtArg | IoUring.FeatureFastPoll;
        if ((p.Features & Needed) != Needed)
        {
            _ = Linux.Close(fd);
            throw new IOException($"io_uring lacks features EchoNet needs (single mmap, no-drop, extended wait arguments, fast poll: kernel 5.11 or later); it reported 0x{p.Features:x}.");
        }

        return new IoUringRing(fd, p);
    }

    /// <summary>Asks the kernel for a ring, dropping optional flags it refuses; 0 and the ring, or the errno of the last refusal.</summary>
    public static int TrySetup(uint entries, uint completions, out int fd, out IoUringParams parameters)
    {
        uint optional = 0;
        foreach (uint flag in OptionalFlags)
        {
            optional |= flag;
        }

        for (int dropped = 0; ; dropped++)
        {
            IoUringParams p = default;
            p.Flags = IoUring.SetupCqSize | IoUring.SetupClamp | optional;
            p.CqEntries = completions;
            fd = IoUring.Setup(entries, &p);
            if (fd >= 0)
            {
                parameters = p;
                return 0;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != IoUring.EINVAL || dropped == OptionalFlags.Length)
            {
                parameters = default;
                return errno;
            }

            optional &= ~OptionalFlags[dropped];
        }
    }

    /// <summary>
    /// Gets the next submission to fill, zeroed. When the ring is full, what is in it is handed to the kernel first.
    /// The submission goes to the kernel with the next <see cref="SubmitAndWait"/> or <see cref="Submit"/>.
    /// </summary>
    public IoUringSqe* NextSubmission()
    {
        if (_sqLocalTail - Volatile.Read(ref *_sqHead) == _sqEntries)
        {
            Submit();
        }

        IoUringSqe* sqe = &_sqes[_sqLocalTail & _sqMask];
        *sqe = default;
        _sqLocalTail++;
        _unsubmitted++;
        Volatile.Write(ref *_sqTail, _sqLocalTail);
        return sqe;
    }

    /// <summary>Hands what was submitted to the kernel without waiting.</summary>
    public void Submit()
    {
        while (_unsubmitted > 0)
        {
            int taken = IoUring.Enter(_fd, _unsubmitted, 0, 0, null, 0);
            if (taken < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is Linux.EINTR or Linux.EAGAIN or IoUring.EBUSY)
                {
                    // The completion queue is full: the caller takes completions before it submits more.
                    return;
                }

                throw Failure("io_uring_enter", errno);
            }

            _unsubmitted -= (uint)taken;
        }
    }

    /// <summary>
    /// Hands what was submitted to the kernel and waits until a completion is ready, or <paramref name="timeoutMilliseconds"/>
    /// pass (-1: no limit; 0: do not wait).
    /// </summary>
    public void SubmitAndWait(int timeoutMilliseconds)
    {
        uint wait = timeoutMilliseconds == 0 ? 0u : 1u;
        int result;
        if (timeoutMilliseconds > 0)
        {
            KernelTimespec timeout = new() { Seconds = timeoutMilliseconds / 1000, Nanoseconds = timeoutMilliseconds % 1000 * 1_000_000L };
            IoUringWaitArgument argument = new() { Timeout = (ulong)&timeout };
            result = IoUring.Enter(_fd, _unsubmitted, wait, IoUring.EnterGetEvents | IoUring.EnterExtArg, &argument, (nuint)sizeof(IoUringWaitArgument));
        }
        else
        {
            result = IoUring.Enter(_fd, _unsubmitted, wait, IoUring.EnterGetEvents, null, 0);
        }

        if (result >= 0)
        {
            _unsubmitted -= (uint)result;
            return;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno is not (IoUring.ETIME or Linux.EINTR or Linux.EAGAIN or IoUring.EBUSY))
        {
            throw Failure("io_uring_enter", errno);
        }
    }

    /// <summary>Copies up to <paramref name="max"/> ready completions into <paramref name="into"/> and frees their slots.</summary>
    public int TakeCompletions(IoUringCqe* into, int max)
    {
        uint head = *_cqHead;
        uint tail = Volatile.Read(ref *_cqTail);
        int count = (int)Math.Min(tail - head, (uint)max);
        for (int i = 0; i < count; i++)
        {
            into[i] = _cqes[(head + (uint)i) & _cqMask];
        }

        Volatile.Write(ref *_cqHead, head + (uint)count);
        return count;
    }

    /// <summary>Registers a provided-buffer ring of <paramref name="entries"/> entries at <paramref name="ring"/> as group <paramref name="group"/>.</summary>
    public int RegisterBufferRing(IoUringBuffer* ring, uint entries, ushort group)
    {
        var registration = new IoUringBufferRegistration { RingAddress = (ulong)ring, RingEntries = entries, GroupId = group };
        return IoUring.Register(_fd, IoUring.RegisterBufferRing, &registration, 1) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>Closes the ring: the kernel cancels whatever is still in flight on it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ = IoUring.Unmap(_sqes, _sqesLength);
        _ = IoUring.Unmap(_rings, _ringsLength);
        _ = Linux.Close(_fd);
    }

    private static IOException Failure(string call, int errno) =>
        new($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
}
