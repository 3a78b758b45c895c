using System.Net.Sockets;
using EchoNet.Diagnostics;
using EchoNet.Interop;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Unix;

/// <summary>
/// Binds the listener of a Unix socket server. A socket file already at the path is probed by connecting: nobody
/// answers, so it was left by a server that died, and it is replaced; a server answers, or the file is not a socket,
/// and the bind fails with an <see cref="EchoBindException"/> that says so.
/// </summary>
internal static class UnixSocketBinder
{
    public static (Socket Listener, UnixSocketFile File) Bind(EchoServerOptions options, ILogger logger)
    {
        string path = options.UnixSocketPath!;
        var endPoint = new UnixPathEndPoint(path);
        for (bool replaced = false; ; replaced = true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Bind(endPoint);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && !replaced)
            {
                socket.Dispose();
                RemoveIfStale(path, e);
                Log.StaleUnixSocketReplaced(logger, path);
                continue;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw EchoBindException.ForUnixSocket(e, path);
            }

            UnixSocketFile file = UnixSocketFile.Made(path);
            try
            {
                socket.Listen(options.Backlog);
                return (socket, file);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                _ = file.Remove();
                throw EchoBindException.ForUnixSocket(e, path);
            }
        }
    }

    /// <summary>Deletes the file at <paramref name="path"/> if it is a socket nobody listens on; otherwise throws why not.</summary>
    private static void RemoveIfStale(string path, SocketException inUse)
    {
        if (!FileIdentity.IsSupported)
        {
            throw EchoBindException.UnixPathTaken(path, "a file is there already, and this system cannot tell a stale socket file from another file", inUse);
        }

        FileIdentity? found;
        try
        {
            found = FileIdentity.Of(path);
        }
        catch (IOException e)
        {
            throw EchoBindException.UnixPathTaken(path, e.Message, inUse);
        }

        if (found is { IsSocket: false })
        {
            throw EchoBindException.UnixPathNotSocket(path, inUse);
        }

        if (found is null)
        {
            // Gone since the bind failed: the next bind makes it.
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // Nobody listens: a server that died left it.
            File.Delete(path);
            return;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // A listener whose queue is full is still a listener.
        }
        catch (SocketException e)
        {
            throw EchoBindException.UnixPathTaken(path, $"connecting to it to see whether a server listens failed ({e.SocketErrorCode})", inUse);
        }

        throw EchoBindException.UnixPathLive(path, inUse);
    }
}
