using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace EchoNet.Testing.Checks;

/// <summary>
/// One TCP connection of a check, over TLS when the options ask for it: sends a payload in chunks while it reads the echo
/// back and verifies it.
/// </summary>
internal sealed class TcpEchoConnection : IDisposable
{
    private const int ReceiveBufferSize = 65_536;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly CheckContext _context;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];

    private TcpEchoConnection(Socket socket, Stream stream, CheckContext context)
    {
        _socket = socket;
        _stream = stream;
        _context = context;
    }

    /// <summary>Gets the TLS session, or <see langword="null"/> for plain TCP.</summary>
    public SslStream? Tls => _stream as SslStream;

    public static async Task<TcpEchoConnection> ConnectAsync(CheckContext context, CancellationToken cancellationToken)
    {
        EndPoint endPoint = context.EndPoint;
        bool unix = endPoint.AddressFamily == AddressFamily.Unix;
        Socket socket = endPoint.AddressFamily switch
        {
            AddressFamily.Unspecified => new Socket(SocketType.Stream, ProtocolType.Tcp),
            AddressFamily.Unix => new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified),
            _ => new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp),
        };
        try
        {
            if (!unix)
            {
                socket.NoDelay = true;
            }

            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new CheckFailedException($"cannot connect to {(unix ? "Unix socket" : "TCP")} {endPoint}: {e.Message} ({e.SocketErrorCode})", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (context.Options.Tls is not { } tls)
        {
            return new TcpEchoConnection(socket, new NetworkStream(socket, ownsSocket: false), context);
        }

        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            context.Progress = "in the TLS handshake";
            await stream.AuthenticateAsClientAsync(TlsTarget.For(tls, endPoint), cancellationToken).ConfigureAwait(false);
            return new TcpEchoConnection(socket, stream, context);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            throw new CheckFailedException($"the TLS handshake with {endPoint} failed: {e.GetBaseException().Message}", e);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="payload"/> in chunks of <paramref name="chunkSizes"/> (the rest in one chunk) while reading
    /// the echo concurrently, so a server that echoes as it reads never blocks on a client that does not read.
    /// </summary>
    /// <returns>How many receives the echo took.</returns>
    public async Task<int> ExchangeAsync(ReadOnlyMemory<byte> payload, IReadOnlyList<int> chunkSizes, bool halfCloseAfterSending, CancellationToken cancellationToken)
    {
        Task sending = SendAsync(payload, chunkSizes, halfCloseAfterSending, cancellationToken);
        Task<int> receiving = ReceiveEchoAsync(payload, cancellationToken);
        try
        {
            await Task.WhenAll(sending, receiving).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException && receiving.IsFaulted && receiving.Exception.InnerException is CheckFailedException failure)
        {
            // The echo was wrong and the send then failed on the dead connection: the wrong echo is the reason.
            throw new CheckFailedException(failure.Message, e);
        }

        return await receiving.ConfigureAwait(false);
    }

    /// <summary>Waits for the server to close its side: a receive that returns 0.</summary>
    public async Task ExpectEndOfStreamAsync(CancellationToken cancellationToken)
    {
        int extra;
        try
        {
            extra = await _stream.ReadAsync(_receiveBuffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            throw new CheckFailedException("after the echo, the server reset the connection instead of closing it (RST, not FIN)", e);
        }

        if (extra > 0)
        {
            throw new CheckFailedException($"after the whole echo, the server sent {extra:N0} more bytes that were never sent to it");
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }

    private async Task SendAsync(ReadOnlyMemory<byte> payload, IReadOnlyList<int> chunkSizes, bool halfClose, CancellationToken cancellationToken)
    {
        int offset = 0;
        foreach (int chunkSize in chunkSizes)
        {
            int size = Math.Min(chunkSize, payload.Length - offset);
            if (size <= 0)
            {
                break;
            }

            await _stream.WriteAsync(payload.Slice(offset, size), cancellationToken).ConfigureAwait(false);
            offset += size;
        }

        if (offset < payload.Length)
        {
            await _stream.WriteAsync(payload[offset..], cancellationToken).ConfigureAwait(false);
        }

        if (halfClose)
        {
            // Over TLS the end of input is the close_notify alert, then the TCP half-close.
            if (Tls is { } tls)
            {
                await tls.ShutdownAsync().ConfigureAwait(false);
            }

            _socket.Shutdown(SocketShutdown.Send);
        }
    }

    private async Task<int> ReceiveEchoAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        int received = 0;
        int receives = 0;
        while (received < payload.Length)
        {
            _context.Progress = $"{received:N0} of {payload.Length:N0} bytes echoed so far";
            int wanted = Math.Min(_receiveBuffer.Length, payload.Length - received);
            int count;
            try
            {
                count = await _stream.ReadAsync(_receiveBuffer.AsMemory(0, wanted), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            {
                throw new CheckFailedException($"the server reset the connection after echoing {received:N0} of {payload.Length:N0} bytes", e);
            }

            if (count == 0)
            {
                throw new CheckFailedException($"the server closed the connection after echoing {received:N0} of {payload.Length:N0} bytes");
            }

            Payloads.Verify(_receiveBuffer.AsSpan(0, count), payload.Span.Slice(received, count), received);
            received += count;
            receives++;
        }

        _context.Progress = $"all {payload.Length:N0} bytes echoed";
        return receives;
    }
}
