using System.Net.Sockets;
using EchoNet.Diagnostics;

namespace EchoNet.Server.Models;

/// <summary>
/// The course's threaded server (§2.2): the accepting thread hands each client to a dedicated thread of its own
/// (not the thread pool) with a small stack, and goes straight back to accepting. The connection limit bounds
/// the threads.
/// </summary>
internal sealed class ThreadPerClientTcpServer(Socket listener, ServerContext context) : IEchoLoop
{
    /// <summary>
    /// The read buffer on the stack and the echo loop's frames: the stack is reserved, not touched, so thousands of
    /// idle clients stay cheap.
    /// </summary>
    private const int ClientThreadStackSize = BlockingEcho.MaxStackBuffer + (192 * 1024);

    private readonly Acceptor _acceptor = new(listener, context.Logger);
    private readonly ConnectionSet _connections = new(context);
    private readonly TaskCompletionSource _acceptLoop = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start()
    {
        new Thread(AcceptLoop) { IsBackground = true, Name = "EchoNet accept" }.Start();
        Completion = CompleteAsync();
    }

    public void BeginStop() => _acceptor.Close();

    public int Abort() => _connections.AbortAll();

    private async Task CompleteAsync()
    {
        using ITimer? sweeper = _connections.StartSweeping();
        await _acceptLoop.Task.ConfigureAwait(false);
        await _connections.WhenEmptyAsync().ConfigureAwait(false);
    }

    private void AcceptLoop()
    {
        try
        {
            while (_acceptor.Accept() is { } socket)
            {
                if (_connections.Admit(socket) is not { } connection)
                {
                    continue;
                }

                try
                {
                    new Thread(() => Serve(connection), ClientThreadStackSize) { IsBackground = true, Name = "EchoNet client" }.Start();
                }
                catch (OutOfMemoryException e)
                {
                    // The process cannot have another thread: refuse this client, keep serving the others.
                    Log.ConnectionFailed(context.Logger, connection.Peer, e);
                    socket.Close(0);
                    _connections.Remove(connection);
                    context.Closed(connection);
                }
            }

            _acceptLoop.TrySetResult();
        }
#pragma warning disable CA1031 // The failure is the loop's result: it faults the server's Completion.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _acceptLoop.TrySetException(e);
        }
    }

    private void Serve(TrackedConnection connection)
    {
        BlockingEcho.Serve(connection, context);
        _connections.Remove(connection);
    }
}
