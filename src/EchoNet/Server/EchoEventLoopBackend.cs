namespace EchoNet;

/// <summary>What the <see cref="EchoConcurrencyModel.EventLoop"/> model's loops wait on and submit their I/O through.</summary>
public enum EchoEventLoopBackend
{
    /// <summary>
    /// io_uring where the kernel allows it, else epoll. The server probes io_uring once at start and logs which backend
    /// runs, and why when it is not io_uring (an old kernel, <c>kernel.io_uring_disabled</c>, a seccomp profile).
    /// </summary>
    Automatic = 0,

    /// <summary>
    /// io_uring: multishot accept, multishot receive into a buffer ring the loop's connections share, and the echo sent
    /// from the buffer it arrived in. A kernel that refuses io_uring makes <see cref="EchoServerBuilder.Build"/> fail.
    /// </summary>
    IoUring = 1,

    /// <summary>epoll, edge-triggered: one <c>recv</c> and one <c>send</c> per message.</summary>
    Epoll = 2,
}
