using System.Net;
using System.Net.Sockets;

namespace EchoNet.Server.Connections;

/// <summary>A connection served through a <see cref="System.Net.Sockets.Socket"/>: the blocking, select and async models.</summary>
internal sealed class SocketConnection(Socket socket, IPEndPoint? peer, IPAddress? source, TimeProvider time)
    : TrackedConnection(peer, source, time)
{
    public Socket Socket => socket;

    /// <summary>Safe from any thread: a blocked or pending call on the socket fails, and its model releases the connection.</summary>
    public override void Reset() => socket.Close(0);

    public override void Close() => socket.Dispose();
}
