using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Models;

/// <summary>
/// The course's first server (§1.2): one thread accepts a client, echoes until it closes, then accepts the next.
/// Clients that arrive meanwhile wait in the listen backlog.
/// </summary>
internal sealed class IterativeTcpServer(Socket listener, EchoServerOptions options, ILogger logger) : IEchoLoop
{
    private readonly Acceptor _acceptor = new(listener, logger);
    private readonly ConnectionSet _connections = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _completion.Task;

    public void Start() => new Thread(Run) { IsBackground = true, Name = "EchoNet iterative" }.Start();

    public void BeginStop() => _acceptor.Close();

    public int Abort() => _connections.AbortAll();

    private void Run()
    {
        try
        {
            byte[] buffer = new byte[options.ReadSize];
            while (_acceptor.Accept() is { } client)
            {
                if (!_connections.TryAdd(client))
                {
                    client.Close(0);
                    continue;
                }

                BlockingEcho.Serve(client, buffer, logger);
                _connections.Remove(client);
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
