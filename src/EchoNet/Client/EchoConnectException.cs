using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EchoNet;

/// <summary>
/// Thrown when an <see cref="EchoClient"/> or an <see cref="EchoUdpClient"/> cannot reach its server: the name does
/// not resolve, the connection is refused (nothing listens on that port or Unix socket), or no answer came in time. The
/// message names the host and port (or the Unix socket's path), the transport and what to do; the error behind it (a <see cref="SocketException"/> or a
/// <see cref="TimeoutException"/>) is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class EchoConnectException : IOException
{
    /// <summary>Initializes a new instance with a message and the error behind it.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="host">The host name or address the client was asked to reach.</param>
    /// <param name="port">The port the client was asked to reach.</param>
    /// <param name="transport">The transport of the client.</param>
    /// <param name="innerException">The error behind this one.</param>
    public EchoConnectException(string message, string host, int port, EchoTransports transport, Exception innerException)
        : base(message, innerException)
    {
        Host = host;
        Port = port;
        Transport = transport;
        SocketError = (innerException as SocketException)?.SocketErrorCode ?? SocketError.TimedOut;
    }

    /// <summary>Gets the host name or address the client was asked to reach, or the path of its Unix socket.</summary>
    public string Host { get; }

    /// <summary>Gets the port the client was asked to reach; 0 for a Unix socket.</summary>
    public int Port { get; }

    /// <summary>Gets the transport of the client.</summary>
    public EchoTransports Transport { get; }

    /// <summary>
    /// Gets the operating system's error, such as <see cref="SocketError.ConnectionRefused"/>;
    /// <see cref="SocketError.TimedOut"/> when the client gave up waiting.
    /// </summary>
    public SocketError SocketError { get; }

    internal static EchoConnectException Unresolved(string host, int port, EchoTransports transport, SocketException error) =>
        new($"Cannot connect to {host} port {port} ({Name(transport)}): the name {host} does not resolve ({error.SocketErrorCode}). " +
            "Check its spelling, or give an IP address such as 127.0.0.1.", host, port, transport, error);

    internal static EchoConnectException TimedOut(string host, int port, TimeSpan timeout, IReadOnlyList<IPEndPoint> tried) =>
        new($"Cannot connect to {host} port {port} (TCP): no answer from {Join(tried)} within {Seconds(timeout)}. " +
            "Is the host up and reachable, and does no firewall drop that port? A larger connect timeout may help on a slow network.",
            host, port, EchoTransports.Tcp, new TimeoutException($"The connection was not established within {Seconds(timeout)}."));

    internal static EchoConnectException From(SocketException error, string host, int port, EchoTransports transport, IReadOnlyList<IPEndPoint> tried)
    {
        string where = $"{host} port {port} ({Name(transport)})";
        string message = error.SocketErrorCode switch
        {
            SocketError.ConnectionRefused when transport == EchoTransports.Udp =>
                $"No UDP echo server at {where}: {Join(tried)} answered that the port is unreachable. " +
                "Is a UDP echo server running on that port? Start one there, or check the port number.",
            SocketError.ConnectionRefused =>
                $"Cannot connect to {where}: {Join(tried)} refused the connection. " +
                "Is an echo server running on that port? Start one there, or check the port number.",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable =>
                $"Cannot connect to {where}: there is no route to {Join(tried)} ({error.SocketErrorCode}). Check the address and this host's network.",
            SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable =>
                $"Cannot connect to {where}: this host cannot use the address {Join(tried)} ({error.SocketErrorCode}). Try an IPv4 address such as 127.0.0.1.",
            _ => $"Cannot connect to {where} ({Join(tried)}): {error.Message} ({error.SocketErrorCode}).",
        };
        return new EchoConnectException(message, host, port, transport, error);
    }

    internal static EchoConnectException ForUnixSocket(SocketException error, string path)
    {
        string where = $"Unix socket {path}";
        string message = error.SocketErrorCode switch
        {
            // The runtime reports a missing file (ENOENT) as AddressNotAvailable.
            SocketError.AddressNotAvailable =>
                $"Cannot connect to {where}: there is no socket file at that path. Is an echo server running on it? Start one there, or check the path.",
            SocketError.ConnectionRefused =>
                $"Cannot connect to {where}: nobody listens on it (a file left by a server that stopped, or a file that is not a socket). Start an echo server there, or check the path.",
            SocketError.AccessDenied =>
                $"Cannot connect to {where}: this user may not connect to it. Check the permissions of the socket file and its folders (`ls -l`).",
            _ => $"Cannot connect to {where}: {error.Message} ({error.SocketErrorCode}).",
        };
        return new EchoConnectException(message, path, 0, EchoTransports.Unix, error);
    }

    internal static EchoConnectException UnixTimedOut(string path, TimeSpan timeout) =>
        new($"Cannot connect to Unix socket {path}: the server did not accept within {Seconds(timeout)}; its queue of connections waiting to be accepted is full. Is it stuck, or serving one client at a time?",
            path, 0, EchoTransports.Unix, new TimeoutException($"The connection was not established within {Seconds(timeout)}."));

    private static string Name(EchoTransports transport) => transport.ToString().ToUpperInvariant();

    private static string Join(IReadOnlyList<IPEndPoint> tried) => tried.Count == 0 ? "no address" : string.Join(" and ", tried);

    private static string Seconds(TimeSpan timeout) => string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0.###} s");
}
