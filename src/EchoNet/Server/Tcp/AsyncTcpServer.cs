using System.Buffers;
using System.Net.Sockets;
using EchoNet.Server.Connections;

namespace EchoNet.Server.Tcp;

/// <summary>
/// The scalable default: async/await on the runtime's socket engine (epoll on Linux), every client a task on the
/// thread pool. An idle client holds no buffer: it waits with a zero-byte receive and rents a pooled buffer only
/// while data is flowing. One timer a second closes the connections that broke the idle or send-stall timeout.
/// </summary>
internal sealed class AsyncTcpServer(Socket listener, ServerContext context) : IEchoLoop
{
    /// <summary>How many reads a busy connection gets before it lets other work run.</summary>
    private const int FairnessReads = 16;

    private readonly Acceptor _acceptor = new(listener, context);
    private readonly ConnectionSet _connections = new(context);

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = RunAsync();

    public void BeginStop() => _acceptor.Close();

    public int Abort() => _connections.AbortAll();

    private async Task RunAsync()
    {
        // Leave the caller's thread (Start) at once; the loop lives on the thread pool.
        await Task.Yield();
        using ITimer? sweeper = _connections.StartSweeping();
        while (await _acceptor.AcceptAsync().ConfigureAwait(false) is { } socket)
        {
            if (_connections.Admit(socket) is not { } connection)
            {
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
        Exception? failure = null;
        try
        {
            client.NoDelay = true;

            // Reads and sends below are tried synchronously and never wait: waiting is left to the async calls, so
            // a message costs the system calls it needs and no more.
            client.Blocking = false;
            while (true)
            {
                // Wait for data (or the end of the stream) without holding a buffer.
                await client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                buffer = ArrayPool<byte>.Shared.Rent(readSize);
                for (int reads = 0; ; reads++)
                {
                    int received = client.Receive(buffer, 0, readSize, SocketFlags.None, out SocketError error);
                    if (error == SocketError.WouldBlock)
                    {
                        break;
                    }

                    if (error != SocketError.Success)
                    {
                        throw new SocketException((int)error);
                    }

                    if (received == 0)
                    {
                        client.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    connection.MarkReceived();
                    await SendAllAsync(connection, buffer.AsMemory(0, received)).ConfigureAwait(false);
                    context.Counters.Echoed(received);
                    if (received < readSize)
                    {
                        // A short read emptied the kernel's queue; the wait above checks for newer bytes itself, so
                        // reading on until "would block" would only cost a system call per message.
                        break;
                    }

                    if (reads == FairnessReads)
                    {
                        // A client that never pauses must not keep this thread from the others.
                        reads = 0;
                        await Task.Yield();
                    }
                }

                ArrayPool<byte>.Shared.Return(buffer);
                buffer = null;
            }
        }
#pragma warning disable CA1031 // One client's failure, whatever it is, must not end the server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _connections.Release(connection, failure);
        }
    }

    /// <summary>
    /// Sends all of <paramref name="echo"/>: at once if the kernel takes it, else waiting for room. The client is not
    /// read meanwhile: backpressure without a queue.
    /// </summary>
    private static async ValueTask SendAllAsync(TrackedConnection connection, ReadOnlyMemory<byte> echo)
    {
        Socket client = connection.Socket;
        int sent = client.Send(echo.Span, SocketFlags.None, out SocketError error);
        if (error == SocketError.WouldBlock)
        {
            sent = 0;
        }
        else if (error != SocketError.Success)
        {
            throw new SocketException((int)error);
        }

        if (sent == echo.Length)
        {
            return;
        }

        connection.MarkSendStarted();
        while (sent < echo.Length)
        {
            sent += await client.SendAsync(echo[sent..], SocketFlags.None).ConfigureAwait(false);
        }

        connection.MarkSendEnded();
    }
}
