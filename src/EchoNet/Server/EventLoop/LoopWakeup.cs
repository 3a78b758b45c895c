using System.Runtime.InteropServices;
using EchoNet.Interop;

namespace EchoNet.Server.EventLoop;

/// <summary>
/// The eventfd another thread writes to so a loop that waits in the kernel wakes up (for a stop or an abort). A wake-up
/// that comes after the loop has closed it does nothing: it must not write to a descriptor number a new socket took.
/// </summary>
internal sealed unsafe class LoopWakeup : IDisposable
{
    private readonly Lock _lock = new();
    private bool _closed;

    public LoopWakeup()
    {
        Fd = Linux.EventFdCreate();
        if (Fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"eventfd failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }
    }

    public int Fd { get; }

    /// <summary>Wakes the loop; from any thread.</summary>
    public void Wake()
    {
        lock (_lock)
        {
            if (!_closed)
            {
                ulong one = 1;
                _ = Linux.Write(Fd, &one, sizeof(ulong));
            }
        }
    }

    /// <summary>Takes the wake-ups written so far, so the next one raises a new event; for a backend that reads it itself.</summary>
    public void Consume()
    {
        ulong count;
        _ = Linux.Read(Fd, &count, sizeof(ulong));
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (!_closed)
            {
                _closed = true;
                _ = Linux.Close(Fd);
            }
        }
    }
}
