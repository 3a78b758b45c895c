using System.Net;
using System.Net.Sockets;
using EchoNet.Client;

namespace EchoNet;

/// <summary>
/// A UDP client of an RFC 862 echo server: each <see cref="EchoAsync(ReadOnlyMemory{byte}, CancellationToken)"/> is one
/// datagram out and its echo back, sent again after each reply timeout while retries are left. Over TCP (a stream of
/// any length, half-close), use <see cref="EchoClient"/>.
/// </summary>
/// <remarks>
/// One echo may run at a time. A late echo of an earlier, different datagram is skipped: the echo returned holds the
/// bytes sent.
/// </remarks>
/// <example>
/// <code>
/// await using EchoUdpClient client = await EchoUdpClient.ConnectAsync("localhost", 7777);
/// string back = await client.EchoAsync("one datagram");
/// </code>
/// </example>
public sealed class EchoUdpClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultReplyTimeout = TimeSpan.FromSeconds(1);

    private readonly UdpExchange _exchange;
    private readonly string _host;
    private readonly int _port;
    private int _disposed;

    private EchoUdpClient(string host, int port, UdpExchange exchange)
    {
        _host = host;
        _port = port;
        _exchange = exchange;
    }

    /// <summary>
    /// Gets the server's endpoint: the address the host name resolved to that the client uses, and the port. It moves to
    /// the host's next address when the current one answered "port unreachable".
    /// </summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public IPEndPoint RemoteEndPoint => (IPEndPoint)Socket.RemoteEndPoint!;

    /// <summary>Gets the client's own endpoint (its ephemeral port).</summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public IPEndPoint LocalEndPoint => (IPEndPoint)Socket.LocalEndPoint!;

    /// <summary>Gets the host name or address the client was asked to reach.</summary>
    public string Host => _host;

    /// <summary>Gets the port the client was asked to reach.</summary>
    public int Port => _port;

    private Socket Socket
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _exchange.Socket;
        }
    }

    /// <summary>
    /// Prepares a UDP client of an echo server: a socket connected to the host's first address, so that only that
    /// server's datagrams are received. UDP has no handshake, so nothing is sent yet: a missing server shows on the
    /// first <see cref="EchoAsync(ReadOnlyMemory{byte}, CancellationToken)"/>, which also moves on to the host's next
    /// address when one answers "port unreachable".
    /// </summary>
    /// <param name="host">A host name (<c>localhost</c>, <c>echo.example</c>) or an IP address (<c>127.0.0.1</c>, <c>::1</c>).</param>
    /// <param name="port">The server's port, from 1 to 65535.</param>
    /// <param name="replyTimeout">How long each datagram waits for its echo. Defaults to 1 second.</param>
    /// <param name="retries">How many times a datagram is sent again when no echo came in time. Defaults to 2.</param>
    /// <param name="cancellationToken">Cancels name resolution.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ArgumentException"><paramref name="host"/> is empty, or <paramref name="port"/>, the timeout or the retries are out of range.</exception>
    /// <exception cref="EchoConnectException">The name does not resolve, or the address cannot be used from this host.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<EchoUdpClient> ConnectAsync(string host, int port, TimeSpan? replyTimeout = null, int retries = 2, CancellationToken cancellationToken = default)
    {
        TimeSpan timeout = replyTimeout ?? DefaultReplyTimeout;
        ClientArguments.Validate(host, port, timeout, nameof(replyTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        IReadOnlyList<IPAddress> addresses = await HostResolver.ResolveAsync(host, port, EchoTransports.Udp, cancellationToken).ConfigureAwait(false);
        try
        {
            return new EchoUdpClient(host, port, new UdpExchange(host, port, addresses, timeout, retries));
        }
        catch (SocketException e)
        {
            throw EchoConnectException.From(e, host, port, EchoTransports.Udp, [new IPEndPoint(addresses[0], port)]);
        }
    }

    /// <summary>
    /// Sends <paramref name="data"/> as one datagram and returns the datagram that echoes it, sending again after each
    /// reply timeout while retries are left.
    /// </summary>
    /// <param name="data">The datagram: from 0 to 65,507 bytes (IPv4) or 65,527 (IPv6).</param>
    /// <param name="cancellationToken">Cancels the echo.</param>
    /// <returns>The echoed bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="data"/> does not fit in one datagram; nothing is sent.</exception>
    /// <exception cref="TimeoutException">No echo came after the first datagram and every retry.</exception>
    /// <exception cref="EchoConnectException">Every address of the host answered that nothing listens on the port.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Task<byte[]> EchoAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _exchange.ThrowIfTooLarge(data, nameof(data));
        return _exchange.EchoAsync(data, cancellationToken);
    }

    /// <summary>Sends <paramref name="text"/> as one UTF-8 datagram and returns its echo decoded from UTF-8.</summary>
    /// <param name="text">The text to echo; its UTF-8 form must fit in one datagram.</param>
    /// <param name="cancellationToken">Cancels the echo.</param>
    /// <returns>The echoed text; bytes that are not valid UTF-8 come back as U+FFFD.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The UTF-8 form of <paramref name="text"/> does not fit in one datagram; nothing is sent.</exception>
    /// <exception cref="TimeoutException">No echo came after the first datagram and every retry.</exception>
    /// <exception cref="EchoConnectException">Every address of the host answered that nothing listens on the port.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async Task<string> EchoAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] echo = await EchoAsync(WireText.Utf8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        return WireText.Utf8.GetString(echo);
    }

    /// <summary>Closes the socket. Safe to call more than once.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _exchange.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
