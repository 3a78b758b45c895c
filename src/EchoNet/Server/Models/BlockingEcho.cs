using System.Net.Sockets;
using EchoNet.Diagnostics;

namespace EchoNet.Server.Models;

/// <summary>The echo of one client on a blocking socket, shared by the iterative and thread-per-client models.</summary>
internal static class BlockingEcho
{
    /// <summary>
    /// Echoes until the client shuts its sending side (then shuts ours: nothing is owed, each read was sent back
    /// whole before the next), the connection fails or times out, or the socket is closed by an abort.
    /// Always closes the socket.
    /// </summary>
    public static void Serve(TrackedConnection connection, byte[] buffer, ServerContext context)
    {
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
                int received = client.Receive(buffer);
                if (received == 0)
                {
                    client.Shutdown(SocketShutdown.Send);
                    break;
                }

                // A blocking send returns once every byte is in the kernel: a client that does not read stalls
                // only its own connection, and the server holds no more than this one buffer for it.
                sending = true;
                for (int sent = 0; sent < received;)
                {
                    sent += client.Send(buffer, sent, received - sent, SocketFlags.None);
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
}
