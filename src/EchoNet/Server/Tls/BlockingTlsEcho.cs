using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using EchoNet.Server.Connections;
using EchoNet.Server.Tcp;

namespace EchoNet.Server.Tls;

/// <summary>The echo of one TLS client on a blocking socket, shared by the iterative and thread-per-client models.</summary>
internal static class BlockingTlsEcho
{
    /// <summary>
    /// Handshakes, then echoes each decrypted read back encrypted until the client's close_notify (then sends ours and
    /// shuts our side: nothing is owed), the connection fails, or the socket is reset by a timeout (the handshake's
    /// among them) or an abort; then hands the connection back to its owner.
    /// </summary>
    [SkipLocalsInit]
    public static void Serve(SocketConnection connection, ConnectionSet owner, ServerContext context)
    {
        int readSize = context.Options.ReadSize;
        Span<byte> buffer = readSize <= BlockingEcho.MaxStackBuffer ? stackalloc byte[readSize] : new byte[readSize];
        Socket client = connection.Socket;
        Exception? failure = null;
        connection.MarkHandshakeStarted();
        var tls = new SslStream(new NetworkStream(client, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            client.NoDelay = true;
            tls.AuthenticateAsServer(context.Options.Tls!);
            connection.MarkHandshakeEnded();
            bool confirmed = false;
            while (true)
            {
                int received = tls.Read(buffer);
                if (!confirmed)
                {
                    context.HandshakeConfirmed(connection, tls);
                    confirmed = true;
                }

                if (received == 0)
                {
                    tls.ShutdownAsync().GetAwaiter().GetResult();
                    client.Shutdown(SocketShutdown.Send);
                    break;
                }

                connection.MarkReceived();
                connection.MarkSendStarted();
                tls.Write(buffer[..received]);
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
        finally
        {
            tls.Dispose();
        }

        owner.Release(connection, failure);
    }
}
