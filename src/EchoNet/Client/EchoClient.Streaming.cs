using System.Net.Sockets;

namespace EchoNet;

/// <content>The streaming surface: send, receive as the echo arrives, half-close.</content>
public sealed partial class EchoClient
{
    /// <summary>Sends every byte of <paramref name="data"/> on the stream; the echo is read with <see cref="ReceiveAsync"/>.</summary>
    /// <param name="data">The bytes to send.</param>
    /// <param name="cancellationToken">Cancels the send; the connection is then out of step.</param>
    /// <returns>A task that completes when every byte is handed to the operating system.</returns>
    /// <exception cref="InvalidOperationException">Sending was completed (<see cref="CompleteSendingAsync"/>).</exception>
    /// <exception cref="IOException">The server reset the connection.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        Socket socket = Socket;
        try
        {
            if (_tls is not null)
            {
                await _tls.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                return;
            }

            while (!data.IsEmpty)
            {
                int sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                data = data[sent..];
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.Shutdown)
        {
            throw new InvalidOperationException("Sending was completed (CompleteSendingAsync); nothing more can be sent on this connection.", e);
        }
        catch (SocketException e)
        {
            throw Broken(e);
        }
        catch (IOException e) when (e.InnerException is SocketException inner)
        {
            throw inner.SocketErrorCode == SocketError.Shutdown
                ? new InvalidOperationException("Sending was completed (CompleteSendingAsync); nothing more can be sent on this connection.", e)
                : Broken(inner);
        }
    }

    /// <summary>Receives the next echoed bytes from the stream, as many as have arrived, up to the buffer's size.</summary>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="cancellationToken">Cancels the receive; the connection is then out of step.</param>
    /// <returns>How many bytes were received; 0 when the server has closed its side and nothing more will come.</returns>
    /// <exception cref="IOException">The server reset the connection.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Socket socket = Socket;
        try
        {
            return _tls is not null
                ? await _tls.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)
                : await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw Broken(e);
        }
        catch (IOException e) when (e.InnerException is SocketException inner)
        {
            throw Broken(inner);
        }
    }

    /// <summary>
    /// Half-closes the stream: tells the server that nothing more will be sent. The server then echoes what it
    /// still owes and closes its side, and <see cref="ReceiveAsync"/> returns 0 after the last byte.
    /// </summary>
    /// <returns>A task that completes when the end is sent; the shutdown does not wait for the server.</returns>
    /// <exception cref="IOException">The connection was reset.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    /// <remarks>Over TLS, the end is the TLS close_notify alert, then the TCP half-close.</remarks>
    public async ValueTask CompleteSendingAsync()
    {
        Socket socket = Socket;
        try
        {
            if (_tls is not null)
            {
                await _tls.ShutdownAsync().ConfigureAwait(false);
            }

            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException e)
        {
            throw Broken(e);
        }
        catch (IOException e) when (e.InnerException is SocketException inner)
        {
            throw Broken(inner);
        }
    }

    private IOException Broken(SocketException error) => error.SocketErrorCode switch
    {
        SocketError.ConnectionReset or SocketError.ConnectionAborted =>
            new IOException($"The server at {Server} reset the connection ({error.SocketErrorCode}); it may have stopped or dropped this client.", error),
        _ => new IOException($"The connection to {Server} failed: {error.Message} ({error.SocketErrorCode}).", error),
    };
}
