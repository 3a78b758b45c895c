using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using EchoNet.Client;

namespace EchoNet;

/// <summary>
/// A TCP (or Unix domain socket) client of an RFC 862 echo server. <see cref="EchoAsync(ReadOnlyMemory{byte}, CancellationToken)"/> sends
/// bytes and returns their echo; <see cref="SendAsync"/>, <see cref="ReceiveAsync"/> and
/// <see cref="CompleteSendingAsync"/> stream instead. Over UDP, use <see cref="EchoUdpClient"/>.
/// </summary>
/// <remarks>
/// One echo or one send and one receive may run at a time; a send and a receive may run concurrently (they must, for a
/// large stream: the server echoes while the client is still sending). After a failed or canceled operation the
/// connection is out of step: dispose the client.
/// </remarks>
/// <example>
/// <code>
/// await using EchoClient client = await EchoClient.ConnectAsync("localhost", 7777);
/// string back = await client.EchoAsync("hého");
/// </code>
/// </example>
public sealed partial class EchoClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly SslStream? _tls;
    private readonly string _host;
    private readonly int _port;
    private readonly EndPoint _remoteEndPoint;
    private readonly EndPoint _localEndPoint;
    private int _disposed;

    private EchoClient(string host, int port, Socket socket, SslStream? tls = null)
    {
        _host = host;
        _port = port;
        _socket = socket;
        _tls = tls;

        // Kept now: the operating system forgets a TCP peer once the connection is closed.
        _remoteEndPoint = socket.RemoteEndPoint!;
        _localEndPoint = socket.LocalEndPoint!;
    }

    /// <summary>
    /// Gets the server's endpoint: over TCP an <see cref="IPEndPoint"/>, the address the host name resolved to that
    /// accepted the connection, and the port; over a Unix socket a <see cref="UnixDomainSocketEndPoint"/> with its path.
    /// </summary>
    /// <value>The remote endpoint, kept after the client is disposed.</value>
    public EndPoint RemoteEndPoint => _remoteEndPoint;

    /// <summary>Gets the client's own endpoint: over TCP an <see cref="IPEndPoint"/> with its ephemeral port; over a Unix socket an unnamed one.</summary>
    /// <value>The local endpoint, kept after the client is disposed.</value>
    public EndPoint LocalEndPoint => _localEndPoint;

    /// <summary>Gets the host name or address the client was asked to reach, or the path of its Unix socket.</summary>
    public string Host => _host;

    /// <summary>Gets the port the client was asked to reach; 0 over a Unix socket.</summary>
    public int Port => _port;

    /// <summary>Gets the server as messages name it: host and port, or the Unix socket.</summary>
    internal string Server => _port == 0 ? $"the Unix socket {_host}" : $"{_host} port {_port}";

    /// <summary>Gets the TLS protocol agreed with the server, or <see langword="null"/> for a plain TCP connection.</summary>
    public SslProtocols? TlsProtocol => _tls?.SslProtocol;

    /// <summary>Gets the TLS cipher suite agreed with the server, or <see langword="null"/> for a plain TCP connection.</summary>
    public TlsCipherSuite? TlsCipherSuite => _tls?.NegotiatedCipherSuite;

    private Socket Socket
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _socket;
        }
    }

    /// <summary>
    /// Connects over TCP to an echo server. The host name is resolved and each of its addresses (IPv6 and IPv4) is
    /// tried in turn until one accepts; <c>localhost</c> reaches a server on either loopback address.
    /// </summary>
    /// <param name="host">A host name (<c>localhost</c>, <c>echo.example</c>) or an IP address (<c>127.0.0.1</c>, <c>::1</c>).</param>
    /// <param name="port">The server's port, from 1 to 65535.</param>
    /// <param name="connectTimeout">How long name resolution and connecting may take in all. Defaults to 10 seconds.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected client.</returns>
    /// <exception cref="ArgumentException"><paramref name="host"/> is empty, <paramref name="port"/> is out of range, or the timeout is not positive.</exception>
    /// <exception cref="EchoConnectException">
    /// The name does not resolve, every address refused the connection (is the server running on that port?), or the
    /// timeout passed; the message names the host and port and says what to check.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<EchoClient> ConnectAsync(string host, int port, TimeSpan? connectTimeout = null, CancellationToken cancellationToken = default)
    {
        TimeSpan timeout = connectTimeout ?? DefaultConnectTimeout;
        ClientArguments.Validate(host, port, timeout, nameof(connectTimeout));
        Socket socket = await TcpConnector.ConnectAsync(host, port, timeout, cancellationToken).ConfigureAwait(false);
        return new EchoClient(host, port, socket);
    }

    /// <summary>Connects to an echo server on a Unix domain socket, such as one started with <c>ListenUnix(path)</c>.</summary>
    /// <param name="path">The socket file's path; at most 107 bytes of UTF-8 on Linux.</param>
    /// <param name="connectTimeout">How long connecting may take. Defaults to 10 seconds.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected client; its <see cref="Host"/> is the path and its <see cref="Port"/> 0.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or too long, or the timeout is not positive.</exception>
    /// <exception cref="EchoConnectException">
    /// No socket file is at the path, nobody listens on it, this user may not connect to it, or the timeout passed;
    /// the message names the path and says what to check.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<EchoClient> ConnectUnixAsync(string path, TimeSpan? connectTimeout = null, CancellationToken cancellationToken = default)
    {
        TimeSpan timeout = connectTimeout ?? DefaultConnectTimeout;
        ClientArguments.ValidateUnix(path, timeout, nameof(connectTimeout));
        Socket socket = await UnixConnector.ConnectAsync(path, timeout, cancellationToken).ConfigureAwait(false);
        return new EchoClient(path, 0, socket);
    }

    /// <summary>
    /// Connects over TCP to an echo server that speaks TLS, as <see cref="ConnectAsync(string, int, TimeSpan?, CancellationToken)"/>
    /// does, then authenticates the server: its certificate must be valid for <see cref="SslClientAuthenticationOptions.TargetHost"/>
    /// (<paramref name="host"/> when unset) unless <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/> says otherwise.
    /// </summary>
    /// <param name="host">A host name or an IP address.</param>
    /// <param name="port">The server's port, from 1 to 65535.</param>
    /// <param name="tls">How to authenticate the server: the name it is checked against and sent for SNI, the protocols, a validation callback.</param>
    /// <param name="connectTimeout">How long name resolution, connecting and the handshake may take in all. Defaults to 10 seconds.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected client, its handshake done.</returns>
    /// <exception cref="ArgumentException"><paramref name="host"/> is empty, <paramref name="port"/> is out of range, or the timeout is not positive.</exception>
    /// <exception cref="EchoConnectException">The connection could not be made, or timed out (the handshake too).</exception>
    /// <exception cref="AuthenticationException">The handshake failed: the server's certificate was not trusted, or no protocol was in common; the message says which.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<EchoClient> ConnectAsync(string host, int port, SslClientAuthenticationOptions tls, TimeSpan? connectTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tls);
        TimeSpan timeout = connectTimeout ?? DefaultConnectTimeout;
        ClientArguments.Validate(host, port, timeout, nameof(connectTimeout));
        long started = Stopwatch.GetTimestamp();
        Socket socket = await TcpConnector.ConnectAsync(host, port, timeout, cancellationToken).ConfigureAwait(false);
        SslStream stream = await TlsConnector.AuthenticateAsync(socket, host, port, tls, timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - Stopwatch.GetElapsedTime(started), cancellationToken).ConfigureAwait(false);
        return new EchoClient(host, port, socket, stream);
    }

    /// <summary>
    /// Sends <paramref name="data"/> and returns its echo. Sending and receiving run concurrently, so a buffer of any
    /// size goes through; the result has exactly as many bytes as were sent.
    /// </summary>
    /// <param name="data">The bytes to echo, of any length.</param>
    /// <param name="cancellationToken">Cancels the echo; the connection is then out of step.</param>
    /// <returns>The echoed bytes.</returns>
    /// <exception cref="IOException">The server closed or reset the connection before echoing everything.</exception>
    /// <exception cref="InvalidOperationException">Sending was completed (<see cref="CompleteSendingAsync"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async Task<byte[]> EchoAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        byte[] echo = new byte[data.Length];
        if (data.IsEmpty)
        {
            return echo;
        }

        // Send while receiving: a buffer larger than the socket buffers would otherwise deadlock against the echo.
        using var sendCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task sending = SendAsync(data, sendCancellation.Token).AsTask();
        try
        {
            int received = 0;
            while (received < echo.Length)
            {
                int count = await ReceiveAsync(echo.AsMemory(received), cancellationToken).ConfigureAwait(false);
                if (count == 0)
                {
                    throw new IOException($"The server at {Server} closed the connection after echoing {received} of {echo.Length} bytes.");
                }

                received += count;
            }
        }
        catch
        {
            // The send cannot be left running; its own failure (if any) is the same broken connection.
            await sendCancellation.CancelAsync().ConfigureAwait(false);
            await sending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await sending.ConfigureAwait(false);
        return echo;
    }

    /// <summary>Sends <paramref name="text"/> as UTF-8 and returns its echo decoded from UTF-8.</summary>
    /// <param name="text">The text to echo.</param>
    /// <param name="cancellationToken">Cancels the echo; the connection is then out of step.</param>
    /// <returns>The echoed text; bytes that are not valid UTF-8 come back as U+FFFD.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The server closed or reset the connection before echoing everything.</exception>
    /// <exception cref="InvalidOperationException">Sending was completed (<see cref="CompleteSendingAsync"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async Task<string> EchoAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] echo = await EchoAsync(WireText.Utf8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        return WireText.Utf8.GetString(echo);
    }

    /// <summary>Closes the connection. Safe to call more than once.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _tls?.Dispose();
            _socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
