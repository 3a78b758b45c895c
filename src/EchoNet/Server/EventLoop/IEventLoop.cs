namespace EchoNet.Server.EventLoop;

/// <summary>One event loop of the <see cref="EventLoopTcpServer"/>, on whichever backend: a dedicated thread that owns its connections.</summary>
internal interface IEventLoop
{
    /// <summary>Gets the connections the loop serves now; read from any thread.</summary>
    int ConnectionCount { get; }

    /// <summary>Gets a task that ends when the loop is set up to serve, or faults with why it cannot be.</summary>
    Task Ready { get; }

    /// <summary>Runs the loop on the calling thread until it has stopped and its connections are gone, or it is aborted.</summary>
    void Run();

    /// <summary>Asks the loop to stop accepting; it lets go of the listener soon after, and says so.</summary>
    void BeginStop();

    /// <summary>Asks the loop to reset every connection and exit.</summary>
    void Abort();
}
