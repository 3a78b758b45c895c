using System.Net.Sockets;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Models;

/// <summary>
/// The course's threaded server (§2.2): the accepting thread hands each client to a dedicated thread of its own
/// (not the thread pool) with a small stack, and goes straight back to accepting.
/// </summary>
internal sealed class ThreadPerClientTcpServer(Socket listener, EchoServerOptions options, ILogger logger) : IEchoLoop
{
    /// <summary>The echo loop needs little stack; a small one keeps thousands of idle clients cheap.</summary>
    private const int ClientThreadStackSize = 128 * 1024;

    private readonly Acceptor _acceptor = new(listener, logger);
    private readonly ConnectionSet _connections = new();
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
        await _acceptLoop.Task.ConfigureAwait(false);
        await _connections.WhenEmptyAsync().ConfigureAwait(false);
    }

    private void AcceptLoop()
    {
        try
        {
            while (_acceptor.Accept() is { } client)
            {
                if (!_connections.TryAdd(client))
                {
                    client.Close(0);
                    continue;
                }

                try
                {
                    new Thread(() => Serve(client), ClientThreadStackSize) { IsBackground = true, Name = "EchoNet client" }.Start();
                }
                catch (OutOfMemoryException e)
                {
                    // The process cannot have another thread: refuse this client, keep serving the others.
                    Log.ConnectionFailed(logger, client.RemoteEndPoint, e);
                    _connections.Remove(client);
                    client.Close(0);
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

    private void Serve(Socket client)
    {
        BlockingEcho.Serve(client, new byte[options.ReadSize], logger);
        _connections.Remove(client);
    }
}
