using System.Net.Sockets;
using EchoNet.Diagnostics;
using EchoNet.Server.Connections;

namespace EchoNet.Server.EventLoop;

/// <summary>
/// The event-loop model: one loop per core, each a dedicated thread with its own io_uring (or epoll) instance and its
/// own connections, all accepting from one listener, so no other process can join the port unless port sharing is
/// asked for. Nothing hops to the thread pool. The backend is chosen once, at start: io_uring where the kernel allows
/// it, unless the options force one.
/// </summary>
internal sealed class EventLoopTcpServer : IEchoLoop
{
    /// <summary>How long a stop waits for the loops to let go of the listener before it closes it anyway.</summary>
    private static readonly TimeSpan ListenerReleaseBound = TimeSpan.FromSeconds(5);

    /// <summary>How long a start waits for every loop to be set up; it takes a few system calls.</summary>
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(10);

    private readonly Socket _listener;
    private readonly IEventLoop[] _loops;
    private readonly TaskCompletionSource _listenerLetGo = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _loopsOnListener;

    public EventLoopTcpServer(Socket listener, ServerContext context)
    {
        _listener = listener;
        listener.Blocking = false;
        int count = context.Options.EventLoops ?? Environment.ProcessorCount;
        _loopsOnListener = count;
        int fd = (int)listener.SafeHandle.DangerousGetHandle();
        bool uring = UsesIoUring(context);
        _loops = [.. Enumerable.Range(0, count).Select(IEventLoop (_) => uring ? new IoUringLoop(fd, context, OnListenerLetGo) : new EpollLoop(fd, context, OnListenerLetGo))];
        Log.EventLoopsStarted(context.Logger, count, uring ? "io_uring" : "epoll");
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts the loops, and returns once each is set up to serve; a loop that cannot be throws here, at start.</summary>
    public void Start()
    {
        Completion = Task.WhenAll(_loops.Select((loop, i) => LoopThread.Start($"EchoNet loop {i}", loop.Run)));
        Task ready = Task.WhenAll(_loops.Select(loop => loop.Ready));
        if (!((IAsyncResult)ready).AsyncWaitHandle.WaitOne(ReadyBound) || ready.IsFaulted)
        {
            // A loop the kernel would not set up (after the probe said it could): none serves, and the port is freed.
            _ = Abort();
            BeginStop();
            throw ready.Exception?.InnerException ?? new TimeoutException($"The event loops were not set up within {ReadyBound.TotalSeconds} seconds.");
        }
    }

    /// <summary>Stops accepting: every loop lets go of the listener, then it is closed, which frees the port.</summary>
    public void BeginStop()
    {
        foreach (IEventLoop loop in _loops)
        {
            loop.BeginStop();
        }

        // The loops answer within a turn; closing the listener under a loop that still waits on it could let a new
        // socket take its descriptor number while the loop accepts from it.
        _ = _listenerLetGo.Task.Wait(ListenerReleaseBound);
        _listener.Dispose();
    }

    /// <summary>Whether the loops run on io_uring: asked for, or the default and allowed (else the log says why not).</summary>
    private static bool UsesIoUring(ServerContext context)
    {
        EchoServerOptions options = context.Options;
        if (options.EventLoopBackend == EchoEventLoopBackend.Epoll)
        {
            return false;
        }

        IoUringAvailability availability = options.IoUringProbe();
        if (availability.IsAvailable)
        {
            return true;
        }

        // A forced io_uring that the kernel refuses fails the build (EchoServerOptions.Validate); this is the fallback.
        Log.IoUringRefused(context.Logger, availability.Reason);
        return false;
    }

    private void OnListenerLetGo()
    {
        if (Interlocked.Decrement(ref _loopsOnListener) == 0)
        {
            _listenerLetGo.TrySetResult();
        }
    }

    public int Abort()
    {
        int open = 0;
        foreach (IEventLoop loop in _loops)
        {
            open += loop.ConnectionCount;
            loop.Abort();
        }

        return open;
    }
}
