using System.Net.Sockets;
using EchoNet.Server.Connections;
using EchoNet.Server.Tls;

namespace EchoNet.Server.Tcp;

/// <summary>
/// The course's first server (§1.2): one thread accepts a client, echoes until it closes, then accepts the next.
/// Clients that arrive meanwhile wait in the listen backlog.
/// </summary>
internal sealed class IterativeTcpServer(Socket listener, ServerContext context) : IEchoLoop
{
    private readonly Acceptor _acceptor = new(listener, context);
    private readonly ConnectionSet _connections = new(context);

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = LoopThread.Start("EchoNet iterative", Run);

    public void BeginStop() => _acceptor.Close();

    public int Abort() => _connections.AbortAll();

    private void Run()
    {
        using ITimer? sweeper = _connections.StartSweeping();
        while (_acceptor.Accept() is { } socket)
        {
            if (_connections.Admit(socket) is { } connection)
            {
                if (context.Options.Tls is null)
                {
                    BlockingEcho.Serve(connection, _connections, context);
                }
                else
                {
                    BlockingTlsEcho.Serve(connection, _connections, context);
                }
            }
        }
    }
}
