using System.Net.Sockets;

namespace EchoNet.Tests.Support;

/// <summary>
/// A Unix socket path of one test: a folder of its own under /tmp (short, as <c>sun_path</c> holds 107 bytes) that is
/// deleted with everything in it when the test ends.
/// </summary>
internal sealed class UnixSocketPath : IDisposable
{
    public UnixSocketPath()
    {
        // /tmp itself, not $TMPDIR, which may be deep enough to push the path past the limit.
        Folder = System.IO.Path.Combine("/tmp", "echonet-" + System.IO.Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal));
        Directory.CreateDirectory(Folder);
        Path = System.IO.Path.Combine(Folder, "e.sock");
    }

    /// <summary>Gets the test's own folder.</summary>
    public string Folder { get; }

    /// <summary>Gets the socket's path in the folder; nothing is there until a test puts it there.</summary>
    public string Path { get; }

    public UnixDomainSocketEndPoint EndPoint => new(Path);

    /// <summary>Connects to the socket at <see cref="Path"/>.</summary>
    public async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(EndPoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
