using System.Net.Sockets;
using EchoNet.Diagnostics;
using EchoNet.Server.Connections;

namespace EchoNet.Server.EventLoop;

/// <summary>
/// The event-loop model: one loop per core, each a dedicated thread with its own epoll instance and its own
/// connections, all accepting from one listener (the kernel wakes one loop per new connection), so no other process
/// can join the port unless port sharing is asked for. Nothing hops to the thread pool.
/// </summary>
internal sealed class EventLoopTcpServer : IEchoLoop
{
    /// <summary>How long a stop waits for the loops to let go of the listener before it closes it anyway.</summary>
    private static readonly TimeSpan ListenerReleaseBound = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly EpollLoop[] _loops;
    private readonly TaskCompletionSource _listenerLetGo = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _loopsOnListener;

    public EventLoopTcpServer(Socket listener, ServerContext context)
    {
        _listener = listener;
        listener.Blocking = false;
        int count = context.Options.EventLoops ?? Environment.ProcessorCount;
        _loopsOnListener = count;
        int fd = (int)listener.SafeHandle.DangerousGetHandle();
        _loops = [.. Enumerable.Range(0, count).Select(_ => new EpollLoop(fd, context, OnListenerLetGo))];
        Log.EventLoopsStarted(context.Logger, count, "epoll");
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() =>
        Completion = Task.WhenAll(_loops.Select((loop, i) => LoopThread.Start($"EchoNet loop {i}", loop.Run)));

    /// <summary>Stops accepting: every loop lets go of the listener, then it is closed, which frees the port.</summary>
    public void BeginStop()
    {
        foreach (EpollLoop loop in _loops)
        {
            loop.BeginStop();
        }

        // The loops answer within a turn; closing the listener under a loop that still waits on it could let a new
        // socket take its descriptor number while the loop accepts from it.
        _ = _listenerLetGo.Task.Wait(ListenerReleaseBound);
        _listener.Dispose();
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
        foreach (EpollLoop loop in _loops)
        {
            open += loop.ConnectionCount;
            loop.Abort();
        }

        return open;
    }
}
