using System.Net.Sockets;

namespace EchoNet.Server.Models;

/// <summary>
/// The course's first server (§1.2): one thread accepts a client, echoes until it closes, then accepts the next.
/// Clients that arrive meanwhile wait in the listen backlog.
/// </summary>
internal sealed class IterativeTcpServer(Socket listener, ServerContext context) : IEchoLoop
{
    private readonly Acceptor _acceptor = new(listener, context.Logger);
    private readonly ConnectionSet _connections = new(context);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _completion.Task;

    public void Start() => new Thread(Run) { IsBackground = true, Name = "EchoNet iterative" }.Start();

    public void BeginStop() => _acceptor.Close();

    public int Abort() => _connections.AbortAll();

    private void Run()
    {
        try
        {
            using ITimer? sweeper = _connections.StartSweeping();
            while (_acceptor.Accept() is { } socket)
            {
                if (_connections.Admit(socket) is not { } connection)
                {
                    continue;
                }

                BlockingEcho.Serve(connection, context);
                _connections.Remove(connection);
            }

            _completion.TrySetResult();
        }
#pragma warning disable CA1031 // The failure is the loop's result: it faults the server's Completion.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _completion.TrySetException(e);
        }
    }
}
