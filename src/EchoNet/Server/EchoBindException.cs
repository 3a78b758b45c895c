using System.Net;
using System.Net.Sockets;

namespace EchoNet;

/// <summary>
/// Thrown when a server cannot bind its socket: the port is in use, the port is privileged, or the address is not
/// on this host; for a Unix socket, a server listens on the path already, the path is not a socket file, or its folder
/// is missing or not writable. The message names the endpoint, the transport and what to do; the
/// <see cref="SocketException"/> that the operating system gave is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class EchoBindException : IOException
{
    /// <summary>Initializes a new instance with a message and the socket error behind it.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="endPoint">The endpoint that could not be bound.</param>
    /// <param name="transport">The transport of the socket that could not be bound.</param>
    /// <param name="innerException">The error the operating system reported.</param>
    public EchoBindException(string message, EndPoint endPoint, EchoTransports transport, SocketException innerException)
        : base(message, innerException)
    {
        EndPoint = endPoint;
        Transport = transport;
        SocketError = innerException?.SocketErrorCode ?? SocketError.SocketError;
    }

    /// <summary>Gets the endpoint that could not be bound: an <see cref="IPEndPoint"/>, or a <see cref="UnixDomainSocketEndPoint"/> for a Unix socket.</summary>
    public EndPoint EndPoint { get; }

    /// <summary>Gets the transport of the socket that could not be bound.</summary>
    public EchoTransports Transport { get; }

    /// <summary>Gets the operating system's error, such as <see cref="SocketError.AddressAlreadyInUse"/>.</summary>
    public SocketError SocketError { get; }

    internal static EchoBindException From(SocketException error, IPEndPoint endPoint, EchoTransports transport)
    {
        string where = $"{endPoint} ({transport.ToString().ToUpperInvariant()})";
        string message = error.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse =>
                $"Cannot listen on {where}: port {endPoint.Port} is already in use by another socket. " +
                "Stop the program that holds it (`ss -tulpn` shows it), choose another port, or use port 0 for an ephemeral one.",
            SocketError.AccessDenied =>
                $"Cannot listen on {where}: ports below 1024 are privileged. " +
                "Use a port of 1024 or more, or grant the capability (e.g. `setcap cap_net_bind_service=+ep` on the dotnet host).",
            SocketError.AddressNotAvailable =>
                $"Cannot listen on {where}: the address {endPoint.Address} is not assigned to any interface of this host. " +
                "Bind to an address this host has (`ip addr` lists them), or leave the address unset to listen on all interfaces.",
            SocketError.AddressFamilyNotSupported or SocketError.ProtocolFamilyNotSupported =>
                $"Cannot listen on {where}: this host does not support the {endPoint.AddressFamily} address family. " +
                "Bind to an IPv4 address instead.",
            _ => $"Cannot listen on {where}: {error.Message} ({error.SocketErrorCode}).",
        };
        return new EchoBindException(message, endPoint, transport, error);
    }

    internal static EchoBindException ForUnixSocket(SocketException error, string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        string message = error.SocketErrorCode switch
        {
            // The runtime reports a missing folder (ENOENT) as AddressNotAvailable.
            SocketError.AddressNotAvailable =>
                $"Cannot listen on Unix socket {path}: the folder {folder} does not exist or cannot hold a socket. Create it, or choose a path in a folder of yours.",
            SocketError.AccessDenied =>
                $"Cannot listen on Unix socket {path}: no permission to create a file in {folder}. Choose a path in a folder you may write to, such as /tmp or $XDG_RUNTIME_DIR.",
            _ => $"Cannot listen on Unix socket {path}: {error.Message} ({error.SocketErrorCode}).",
        };
        return Unix(message, path, error);
    }

    internal static EchoBindException UnixPathLive(string path, SocketException inUse) =>
        Unix($"Cannot listen on Unix socket {path}: a server is listening on it already. Stop that server (`ss -xlp` shows it), or choose another path.", path, inUse);

    internal static EchoBindException UnixPathNotSocket(string path, SocketException inUse) =>
        Unix($"Cannot listen on Unix socket {path}: a file that is not a socket is there. Only a socket file nobody listens on is replaced; move or remove that file, or choose another path.", path, inUse);

    internal static EchoBindException UnixPathTaken(string path, string why, SocketException inUse) =>
        Unix($"Cannot listen on Unix socket {path}: {why.TrimEnd('.')}. Remove the file if no server uses it, or choose another path.", path, inUse);

    private static EchoBindException Unix(string message, string path, SocketException error) =>
        new(message, new UnixDomainSocketEndPoint(path), EchoTransports.Unix, error);
}
