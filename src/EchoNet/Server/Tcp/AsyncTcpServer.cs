using System.Buffers;
using System.Net.Sockets;
using EchoNet.Server.Connections;
using EchoNet.Server.Tls;

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

            _ = context.Options.Tls is null ? ServeAsync(connection) : AsyncTlsEcho.ServeAsync(connection, _connections, context);
        }

        await _connections.WhenEmptyAsync().ConfigureAwait(false);
    }

    private async Task ServeAsync(SocketConnection connection)
    {
        Socket client = connection.Socket;
        byte[]? buffer = null;
        int readSize = context.Options.ReadSize;

        // A reset or any other socket error ends the echo as a returned code, without a throw: a storm of resets
        // costs no more than the closes it is. Only what is not a socket's answer (a disposal, a bug) is caught.
        SocketError ended = SocketError.Success;
        Exception? failure = null;
        SocketWait wait = new();
        try
        {
            NoDelay.Set(client);


            // Reads and sends below are tried synchronously and never wait: waiting is left to the async calls, so
            // a message costs the system calls it needs and no more.
            client.Blocking = false;
            while (true)
            {
                // Wait for data (or the end of the stream) without holding a buffer.
                if ((ended = await wait.ReceiveAsync(client).ConfigureAwait(false)) != SocketError.Success)
                {
                    return;
                }

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
                        ended = error;
                        return;
                    }

                    if (received == 0)
                    {
                        client.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    connection.MarkReceived();
                    if ((ended = await SendAllAsync(connection, wait, buffer.AsMemory(0, received)).ConfigureAwait(false)) != SocketError.Success)
                    {
                        return;
                    }

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
            wait.Dispose();
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (ended == SocketError.Success)
            {
                _connections.Release(connection, failure);
            }
            else
            {
                _connections.Release(connection, ended);
            }
        }
    }

    /// <summary>
    /// Sends all of <paramref name="echo"/>: at once if the kernel takes it, else waiting for room. The client is not
    /// read meanwhile: backpressure without a queue.
    /// </summary>
    private static async ValueTask<SocketError> SendAllAsync(SocketConnection connection, SocketWait wait, ReadOnlyMemory<byte> echo)
    {
        Socket client = connection.Socket;
        int sent = client.Send(echo.Span, SocketFlags.None, out SocketError error);
        if (error == SocketError.WouldBlock)
        {
            sent = 0;
        }
        else if (error != SocketError.Success)
        {
            return error;
        }

        if (sent == echo.Length)
        {
            return SocketError.Success;
        }

        connection.MarkSendStarted();
        while (sent < echo.Length)
        {
            if ((error = await wait.SendAsync(client, echo[sent..]).ConfigureAwait(false)) != SocketError.Success)
            {
                return error;
            }

            sent += wait.BytesTransferred;
        }

        connection.MarkSendEnded();
        return SocketError.Success;
    }
}
