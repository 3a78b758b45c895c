using System.Net.Sockets;
using System.Runtime.CompilerServices;
using EchoNet.Server.Connections;

namespace EchoNet.Server.Tcp;

/// <summary>The echo of one client on a blocking socket, shared by the iterative and thread-per-client models.</summary>
internal static class BlockingEcho
{
    /// <summary>The largest read buffer kept on the stack; the threads that run this have room for it.</summary>
    public const int MaxStackBuffer = 64 * 1024;

    /// <summary>
    /// Echoes until the client shuts its sending side (then shuts ours: nothing is owed, each read was sent back
    /// whole before the next), the connection fails, or the socket is reset by a timeout or an abort; then hands the
    /// connection back to its owner. The idle and send-stall timeouts are the owner's, from the times marked here.
    /// </summary>
    [SkipLocalsInit]
    public static void Serve(SocketConnection connection, ConnectionSet owner, ServerContext context)
    {
        // On the stack, not zeroed: an idle client's thread touches no buffer memory, and a busy one only the
        // pages its data lands in. A read size too large for the stack is a heap buffer instead.
        int readSize = context.Options.ReadSize;
        Span<byte> buffer = readSize <= MaxStackBuffer ? stackalloc byte[readSize] : new byte[readSize];
        Socket client = connection.Socket;
        Exception? failure = null;
        try
        {
            NoDelay.Set(client);

            while (true)
            {
                int received = client.Receive(buffer, SocketFlags.None);
                if (received == 0)
                {
                    client.Shutdown(SocketShutdown.Send);
                    break;
                }

                // A blocking send returns once every byte is in the kernel: a client that does not read stalls
                // only its own connection, and the server holds no more than this one buffer for it.
                connection.MarkReceived();
                connection.MarkSendStarted();
                for (int sent = 0; sent < received;)
                {
                    sent += client.Send(buffer[sent..received], SocketFlags.None);
                }

                connection.MarkSendEnded();
                context.Counters.Echoed(received);
            }
        }
#pragma warning disable CA1031 // One client's failure, whatever it is, must not end the server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }

        owner.Release(connection, failure);
    }
}
