using System.Buffers;
using System.Net.Sockets;
using EchoNet.Diagnostics;

namespace EchoNet.Server.Models;

/// <summary>
/// The scalable default: async/await on the runtime's socket engine (epoll on Linux), every client a task on the
/// thread pool. An idle client holds no buffer: it waits with a zero-byte receive and rents a pooled buffer only
/// while data is flowing. One timer a second closes the connections that broke the idle or send-stall timeout.
/// </summary>
internal sealed class AsyncTcpServer(Socket listener, ServerContext context) : IEchoLoop
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly Acceptor _acceptor = new(listener, context.Logger);
    private readonly ConnectionSet _connections = new(context.Counters);

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = RunAsync();

    public void BeginStop() => _acceptor.Close();

    public int Abort() => _connections.AbortAll();

    private async Task RunAsync()
    {
        // Leave the caller's thread (Start) at once; the loop lives on the thread pool.
        await Task.Yield();
        using Timer? sweeper = context.HasTimeouts
            ? new Timer(_ => _connections.CloseExpired(context.IdleTimeoutMs, context.SendStallTimeoutMs), null, SweepInterval, SweepInterval)
            : null;
        while (await _acceptor.AcceptAsync().ConfigureAwait(false) is { } socket)
        {
            if (context.Admit(socket) is not { } connection)
            {
                continue;
            }

            if (!_connections.TryAdd(connection))
            {
                socket.Close(0);
                context.Closed(connection);
                continue;
            }

            _ = ServeAsync(connection);
        }

        await _connections.WhenEmptyAsync().ConfigureAwait(false);
    }

    private async Task ServeAsync(TrackedConnection connection)
    {
        Socket client = connection.Socket;
        byte[]? buffer = null;
        int readSize = context.Options.ReadSize;
        try
        {
            client.NoDelay = true;
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

                connection.MarkReceived();

                // The send completes when every byte is in the kernel, so this client is not read again until it
                // has taken its echo: backpressure without a queue.
                connection.MarkSendStarted();
                for (int sent = 0; sent < received;)
                {
                    sent += await client.SendAsync(buffer.AsMemory(sent, received - sent), SocketFlags.None).ConfigureAwait(false);
                }

                connection.MarkSendEnded();
                context.Counters.Echoed(received);
                if (client.Available == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }

            Log.ConnectionClosed(context.Logger, connection.Peer);
        }
#pragma warning disable CA1031 // One client's failure, whatever it is, must not end the server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // A connection the sweeper reset for a timeout is logged as such by Closed() below.
            if (connection.CloseReason == CloseReason.Ordinary)
            {
                Log.ConnectionEnded(context.Logger, connection.Peer, e);
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            client.Dispose();
            _connections.Remove(connection);
            context.Closed(connection);
        }
    }
}
