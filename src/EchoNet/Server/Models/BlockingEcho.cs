using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Models;

/// <summary>The echo of one client on a blocking socket, shared by the iterative and thread-per-client models.</summary>
internal static class BlockingEcho
{
    /// <summary>
    /// Echoes until the client shuts its sending side (then shuts ours: nothing is owed, each read was sent back
    /// whole before the next), the connection fails, or the socket is closed by an abort. Always closes the socket.
    /// </summary>
    public static void Serve(Socket client, byte[] buffer, ILogger logger)
    {
        EndPoint? peer = null;
        try
        {
            peer = client.RemoteEndPoint;
            client.NoDelay = true;
            Log.ConnectionAccepted(logger, peer);
            while (true)
            {
                int received = client.Receive(buffer);
                if (received == 0)
                {
                    client.Shutdown(SocketShutdown.Send);
                    break;
                }

                // A blocking send returns once every byte is in the kernel: a client that does not read stalls
                // only its own connection, and the server holds no more than this one buffer for it.
                for (int sent = 0; sent < received;)
                {
                    sent += client.Send(buffer, sent, received - sent, SocketFlags.None);
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
            client.Dispose();
        }
    }
}
