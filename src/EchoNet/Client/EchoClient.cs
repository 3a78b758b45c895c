using System.Net;
using System.Net.Sockets;
using System.Text;
using EchoNet.Client;

namespace EchoNet;

/// <summary>
/// A client of an RFC 862 echo server, over TCP (<see cref="ConnectAsync"/>) or UDP (<see cref="ConnectUdpAsync"/>).
/// <see cref="EchoAsync(ReadOnlyMemory{byte}, CancellationToken)"/> sends bytes and returns their echo; over TCP,
/// <see cref="SendAsync"/>, <see cref="ReceiveAsync"/> and <see cref="CompleteSendingAsync"/> stream instead.
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
    private static readonly TimeSpan DefaultReplyTimeout = TimeSpan.FromSeconds(1);
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Socket? _tcp;
    private readonly UdpExchange? _udp;
    private readonly string _host;
    private readonly int _port;
    private readonly IPEndPoint? _tcpRemoteEndPoint;
    private readonly IPEndPoint? _tcpLocalEndPoint;
    private int _disposed;

    private EchoClient(string host, int port, Socket? tcp, UdpExchange? udp)
    {
        _host = host;
        _port = port;
        _tcp = tcp;
        _udp = udp;

        // Kept now: the operating system forgets a TCP peer once the connection is closed.
        _tcpRemoteEndPoint = (IPEndPoint?)tcp?.RemoteEndPoint;
        _tcpLocalEndPoint = (IPEndPoint?)tcp?.LocalEndPoint;
    }

    /// <summary>Gets the transport of this client: <see cref="EchoTransports.Tcp"/> or <see cref="EchoTransports.Udp"/>.</summary>
    public EchoTransports Transport => _tcp is not null ? EchoTransports.Tcp : EchoTransports.Udp;

    /// <summary>Gets the server's endpoint: the address the host name resolved to that the client uses, and the port.</summary>
    /// <exception cref="ObjectDisposedException">A UDP client was disposed (a TCP client keeps its endpoints).</exception>
    public IPEndPoint RemoteEndPoint => _tcpRemoteEndPoint ?? (IPEndPoint)Socket.RemoteEndPoint!;

    /// <summary>Gets the client's own endpoint (its ephemeral port).</summary>
    /// <exception cref="ObjectDisposedException">A UDP client was disposed (a TCP client keeps its endpoints).</exception>
    public IPEndPoint LocalEndPoint => _tcpLocalEndPoint ?? (IPEndPoint)Socket.LocalEndPoint!;

    /// <summary>Gets the host name or address the client was asked to reach.</summary>
    public string Host => _host;

    /// <summary>Gets the port the client was asked to reach.</summary>
    public int Port => _port;

    private Socket Socket
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _tcp ?? _udp!.Socket;
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
        Validate(host, port, timeout, nameof(connectTimeout));
        Socket socket = await TcpConnector.ConnectAsync(host, port, timeout, cancellationToken).ConfigureAwait(false);
        return new EchoClient(host, port, socket, null);
    }

    /// <summary>
    /// Prepares a UDP client of an echo server: a socket connected to the host's first address, so that only that
    /// server's datagrams are received. UDP has no handshake, so nothing is sent yet: a missing server shows on the
    /// first <see cref="EchoAsync(ReadOnlyMemory{byte}, CancellationToken)"/>, which also moves on to the host's next
    /// address when one answers "port unreachable".
    /// </summary>
    /// <param name="host">A host name or an IP address.</param>
    /// <param name="port">The server's port, from 1 to 65535.</param>
    /// <param name="replyTimeout">How long each datagram waits for its echo. Defaults to 1 second.</param>
    /// <param name="retries">How many times a datagram is sent again when no echo came in time. Defaults to 2.</param>
    /// <param name="cancellationToken">Cancels name resolution.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ArgumentException"><paramref name="host"/> is empty, or <paramref name="port"/>, the timeout or the retries are out of range.</exception>
    /// <exception cref="EchoConnectException">The name does not resolve, or the address cannot be used from this host.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<EchoClient> ConnectUdpAsync(string host, int port, TimeSpan? replyTimeout = null, int retries = 2, CancellationToken cancellationToken = default)
    {
        TimeSpan timeout = replyTimeout ?? DefaultReplyTimeout;
        Validate(host, port, timeout, nameof(replyTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        IReadOnlyList<IPAddress> addresses = await HostResolver.ResolveAsync(host, port, EchoTransports.Udp, cancellationToken).ConfigureAwait(false);
        try
        {
            return new EchoClient(host, port, null, new UdpExchange(host, port, addresses, timeout, retries));
        }
        catch (SocketException e)
        {
            throw EchoConnectException.From(e, host, port, EchoTransports.Udp, [new IPEndPoint(addresses[0], port)]);
        }
    }

    /// <summary>
    /// Sends <paramref name="data"/> and returns its echo. Over TCP, sending and receiving run concurrently, so a buffer
    /// of any size goes through; the result has exactly as many bytes as were sent. Over UDP, <paramref name="data"/>
    /// is one datagram, sent again after each reply timeout while retries are left.
    /// </summary>
    /// <param name="data">The bytes to echo: any length over TCP, at most 65,507 bytes (IPv4) or 65,527 (IPv6) over UDP.</param>
    /// <param name="cancellationToken">Cancels the echo; the connection is then out of step.</param>
    /// <returns>The echoed bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Over UDP, <paramref name="data"/> does not fit in one datagram.</exception>
    /// <exception cref="TimeoutException">Over UDP, no echo came after the first datagram and every retry.</exception>
    /// <exception cref="EchoConnectException">Over UDP, every address of the host answered that nothing listens on the port.</exception>
    /// <exception cref="IOException">Over TCP, the server closed or reset the connection before echoing everything.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Task<byte[]> EchoAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_udp is null)
        {
            return EchoOverTcpAsync(data, cancellationToken);
        }

        return data.Length <= _udp.MaxDatagramSize
            ? _udp.EchoAsync(data, cancellationToken)
            : throw new ArgumentOutOfRangeException(nameof(data), data.Length,
                $"A UDP datagram to {RemoteEndPoint} holds at most {_udp.MaxDatagramSize} bytes; send less per call, or use TCP for a stream of any length.");
    }

    /// <summary>Sends <paramref name="text"/> as UTF-8 and returns its echo decoded from UTF-8.</summary>
    /// <param name="text">The text to echo.</param>
    /// <param name="cancellationToken">Cancels the echo; the connection is then out of step.</param>
    /// <returns>The echoed text; bytes that are not valid UTF-8 come back as U+FFFD.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="TimeoutException">Over UDP, no echo came after the first datagram and every retry.</exception>
    /// <exception cref="EchoConnectException">Over UDP, every address of the host answered that nothing listens on the port.</exception>
    /// <exception cref="IOException">Over TCP, the server closed or reset the connection before echoing everything.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async Task<string> EchoAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] echo = await EchoAsync(Utf8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        return Utf8.GetString(echo);
    }

    /// <summary>Closes the connection (UDP: the socket). Safe to call more than once.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _tcp?.Dispose();
            _udp?.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static void Validate(string host, int port, TimeSpan timeout, string timeoutName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, IPEndPoint.MinPort + 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(timeoutName, timeout, "The timeout must be positive, or Timeout.InfiniteTimeSpan.");
        }
    }

    private async Task<byte[]> EchoOverTcpAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
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
                    throw new IOException($"The server at {_host} port {_port} closed the connection after echoing {received} of {echo.Length} bytes.");
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
}
