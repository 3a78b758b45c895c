using System.Net.Sockets;
using EchoNet.Server.Connections;
using EchoNet.Server.Tls;

namespace EchoNet.Server.Tcp;

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

    private readonly Acceptor _acceptor = new(listener, context);
    private readonly ConnectionSet _connections = new(context);

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = CompleteAsync(LoopThread.Start("EchoNet accept", AcceptLoop));

    public void BeginStop() => _acceptor.Close();

    public int Abort() => _connections.AbortAll();

    private async Task CompleteAsync(Task acceptLoop)
    {
        using ITimer? sweeper = _connections.StartSweeping();
        await acceptLoop.ConfigureAwait(false);
        await _connections.WhenEmptyAsync().ConfigureAwait(false);
    }

    private void AcceptLoop()
    {
        while (_acceptor.Accept() is { } socket)
        {
            if (_connections.Admit(socket) is not { } connection)
            {
                continue;
            }

            try
            {
                Action<SocketConnection, ConnectionSet, ServerContext> serve = context.Options.Tls is null ? BlockingEcho.Serve : BlockingTlsEcho.Serve;
                new Thread(() => serve(connection, _connections, context), ClientThreadStackSize) { IsBackground = true, Name = "EchoNet client" }.Start();
            }
            catch (OutOfMemoryException e)
            {
                // The process cannot have another thread: refuse this client, keep serving the others.
                socket.Close(0);
                _connections.Release(connection, e);
            }
        }
    }
}
