namespace EchoNet;

/// <summary>How a TCP echo server shares its threads among clients.</summary>
public enum EchoConcurrencyModel
{
    /// <summary>
    /// Async/await on the runtime's socket engine: the thread pool serves every client. The portable scalable model,
    /// and the default where <see cref="EventLoop"/> is not available.
    /// </summary>
    Async = 0,

    /// <summary>
    /// One thread, blocking sockets: accept a client, echo until it closes, then accept the next.
    /// Further clients wait in the listen backlog.
    /// </summary>
    Iterative = 1,

    /// <summary>
    /// One thread, non-blocking sockets, a readiness loop over <see cref="System.Net.Sockets.Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>.
    /// </summary>
    Select = 2,

    /// <summary>One accepting thread and one dedicated thread, with blocking sockets, per client.</summary>
    ThreadPerClient = 3,

    /// <summary>
    /// EchoNet's own event loops, one per core (<see cref="EchoServerOptions.EventLoops"/>): each a dedicated thread that
    /// owns its connections, submits and reaps its own I/O on an io_uring ring (or waits on an epoll instance where the
    /// kernel refuses io_uring; see <see cref="EchoServerOptions.EventLoopBackend"/>) and echoes inline, with no
    /// thread-pool hop and no <see cref="System.Net.Sockets.Socket"/> per connection. Linux on x64 only; the default there.
    /// </summary>
    EventLoop = 4,
}
