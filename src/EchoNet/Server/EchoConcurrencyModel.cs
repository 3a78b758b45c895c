namespace EchoNet;

/// <summary>How a TCP echo server shares its threads among clients.</summary>
public enum EchoConcurrencyModel
{
    /// <summary>
    /// Async/await on the runtime's socket engine: the thread pool serves every client. The scalable default.
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
}
