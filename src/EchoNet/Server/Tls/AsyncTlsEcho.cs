using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using EchoNet.Server.Connections;

namespace EchoNet.Server.Tls;

/// <summary>
/// The echo of one TLS client in the async model: the handshake, then each decrypted read written back encrypted before
/// the next read, so a client that does not read is not read either. An idle client holds no buffer: it waits with a
/// zero-byte read and rents a pooled buffer only while data is flowing.
/// </summary>
internal static class AsyncTlsEcho
{
    public static async Task ServeAsync(SocketConnection connection, ConnectionSet owner, ServerContext context)
    {
        // Leave the accept loop's thread at once: the handshake's first steps run synchronously.
        await Task.Yield();
        Socket client = connection.Socket;
        int readSize = context.Options.ReadSize;
        byte[]? buffer = null;
        Exception? failure = null;
        connection.MarkHandshakeStarted();
        var tls = new SslStream(new NetworkStream(client, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            client.NoDelay = true;

            // No cancellation token: the handshake timeout and a stop's deadline reset the socket, which ends the
            // handshake or any read or write with an error, and the connection is released below.
            await tls.AuthenticateAsServerAsync(context.Options.Tls!, CancellationToken.None).ConfigureAwait(false);
            connection.MarkHandshakeEnded();
            bool confirmed = false;
            while (true)
            {
                // Wait for a record (or the end of the stream) without holding a buffer.
                _ = await tls.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                buffer = ArrayPool<byte>.Shared.Rent(readSize);
                int received = await tls.ReadAsync(buffer.AsMemory(0, readSize)).ConfigureAwait(false);
                if (!confirmed)
                {
                    context.HandshakeConfirmed(connection, tls);
                    confirmed = true;
                }

                if (received == 0)
                {
                    // The client's close_notify (or its FIN): every read was echoed whole, so nothing is owed. Ours
                    // follows, then the TCP close.
                    await tls.ShutdownAsync().ConfigureAwait(false);
                    client.Shutdown(SocketShutdown.Send);
                    return;
                }

                connection.MarkReceived();
                connection.MarkSendStarted();
                await tls.WriteAsync(buffer.AsMemory(0, received)).ConfigureAwait(false);
                connection.MarkSendEnded();
                context.Counters.Echoed(received);
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
            await tls.DisposeAsync().ConfigureAwait(false);
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            owner.Release(connection, failure);
        }
    }
}
