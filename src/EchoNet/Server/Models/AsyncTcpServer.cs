using System.Buffers;
using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Models;

/// <summary>
/// The scalable default: async/await on the runtime's socket engine (epoll on Linux), every client a task on the
/// thread pool. An idle client holds no buffer: it waits with a zero-byte receive and rents a pooled buffer only
/// while data is flowing.
/// </summary>
internal sealed class AsyncTcpServer(Socket listener, EchoServerOptions options, ILogger logger) : IEchoLoop
{
    private readonly Acceptor _acceptor = new(listener, logger);
    private readonly ConnectionSet _connections = new();

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = RunAsync();

    public void BeginStop() => _acceptor.Close();

    public int Abort() => _connections.AbortAll();

    private async Task RunAsync()
    {
        // Leave the caller's thread (Start) at once; the loop lives on the thread pool.
        await Task.Yield();
        while (await _acceptor.AcceptAsync().ConfigureAwait(false) is { } client)
        {
            if (!_connections.TryAdd(client))
            {
                client.Close(0);
                continue;
            }

            _ = ServeAsync(client);
        }

        await _connections.WhenEmptyAsync().ConfigureAwait(false);
    }

    private async Task ServeAsync(Socket client)
    {
        EndPoint? peer = null;
        byte[]? buffer = null;
        int readSize = options.ReadSize;
        try
        {
            peer = client.RemoteEndPoint;
            client.NoDelay = true;
            Log.ConnectionAccepted(logger, peer);
            while (true)
            {
                if (buffer is null)
                {
                    // Wait for data (or the end of the stream) without holding a buffer.
                    await client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(readSize);
                }

                int received = await client.ReceiveAsync(buffer.AsMemory(0, readSize), SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    client.Shutdown(SocketShutdown.Send);
                    break;
                }

                // SendAsync completes when every byte is in the kernel, so this client is not read again until
                // it has taken its echo: backpressure without a queue.
                await client.SendAsync(buffer.AsMemory(0, received), SocketFlags.None).ConfigureAwait(false);

                if (client.Available == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }

            Log.ConnectionClosed(logger, peer);
        }
#pragma warning disable CA1031 // One client's failure, whatever it is, must not end the server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.ConnectionEnded(logger, peer, e);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _connections.Remove(client);
            client.Dispose();
        }
    }
}
