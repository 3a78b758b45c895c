using System.Net.Sockets;
using System.Runtime.CompilerServices;
using EchoNet.Diagnostics;

namespace EchoNet.Server.Models;

/// <summary>The echo of one client on a blocking socket, shared by the iterative and thread-per-client models.</summary>
internal static class BlockingEcho
{
    /// <summary>The largest read buffer kept on the stack; the threads that run this have room for it.</summary>
    public const int MaxStackBuffer = 64 * 1024;

    /// <summary>
    /// Echoes until the client shuts its sending side (then shuts ours: nothing is owed, each read was sent back
    /// whole before the next), the connection fails or times out, or the socket is closed by an abort.
    /// Always closes the socket.
    /// </summary>
    [SkipLocalsInit]
    public static void Serve(TrackedConnection connection, ServerContext context)
    {
        // On the stack, not zeroed: an idle client's thread touches no buffer memory, and a busy one only the
        // pages its data lands in. A read size too large for the stack is a heap buffer instead.
        int readSize = context.Options.ReadSize;
        Span<byte> buffer = readSize <= MaxStackBuffer ? stackalloc byte[readSize] : new byte[readSize];
        Socket client = connection.Socket;
        bool sending = false;
        try
        {
            client.NoDelay = true;

            // The socket's own timeouts are the idle and stall checks of a blocking model: no sweeper needed.
            client.ReceiveTimeout = (int)(context.IdleTimeoutMs ?? 0);
            client.SendTimeout = (int)(context.SendStallTimeoutMs ?? 0);
            while (true)
            {
                sending = false;
                int received = client.Receive(buffer, SocketFlags.None);
                if (received == 0)
                {
                    client.Shutdown(SocketShutdown.Send);
                    break;
                }

                // A blocking send returns once every byte is in the kernel: a client that does not read stalls
                // only its own connection, and the server holds no more than this one buffer for it.
                sending = true;
                long sendStartedMs = Environment.TickCount64;
                int sent = client.Send(buffer[..received], SocketFlags.None);
                if (sent < received)
                {
                    SendRest(client, buffer[sent..received], context.SendStallTimeoutMs, sendStartedMs);
                }

                context.Counters.Echoed(received);
            }

            Log.ConnectionClosed(context.Logger, connection.Peer);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            connection.Expire(sending ? CloseReason.SendStalled : CloseReason.Idle, context.Counters);
        }
#pragma warning disable CA1031 // One client's failure, whatever it is, must not end the server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.ConnectionEnded(context.Logger, connection.Peer, e);
        }
        finally
        {
            client.Dispose();
            context.Closed(connection);
        }
    }

    /// <summary>
    /// Sends the rest of an echo the kernel took only part of. The socket's send timeout restarts with every partial
    /// send, so it is shortened to what is left of the stall timeout: a client that reads a trickle is not given a new
    /// timeout for each trickle. Throws <see cref="SocketError.TimedOut"/> once that time is up.
    /// </summary>
    private static void SendRest(Socket client, ReadOnlySpan<byte> rest, long? stallMs, long startedMs)
    {
        while (!rest.IsEmpty)
        {
            if (stallMs is { } stall)
            {
                long left = stall - (Environment.TickCount64 - startedMs);
                if (left <= 0)
                {
                    throw new SocketException((int)SocketError.TimedOut);
                }

                client.SendTimeout = (int)left;
            }

            rest = rest[client.Send(rest, SocketFlags.None)..];
        }

        if (stallMs is { } restored)
        {
            client.SendTimeout = (int)restored;
        }
    }
}
