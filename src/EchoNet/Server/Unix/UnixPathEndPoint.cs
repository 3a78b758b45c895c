using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EchoNet.Server.Unix;

/// <summary>
/// A Unix socket path to bind a listener to. Not a <see cref="UnixDomainSocketEndPoint"/> on purpose: a socket bound
/// to one deletes the file at that path when it is disposed, whoever's file it is by then; the server removes its
/// file itself, and only if it is still the one it made (<see cref="UnixSocketFile"/>).
/// </summary>
internal sealed class UnixPathEndPoint(string path) : EndPoint
{
    /// <summary>The size of <c>sa_family_t</c>, which the path follows in <c>struct sockaddr_un</c>.</summary>
    private const int FamilySize = 2;

    private static readonly UnixDomainSocketEndPoint Prototype = new("/");

    public override AddressFamily AddressFamily => AddressFamily.Unix;

    public override SocketAddress Serialize()
    {
        int length = Encoding.UTF8.GetByteCount(path);

        // The path, then its terminating NUL (the new address is zeroed).
        var address = new SocketAddress(AddressFamily.Unix, FamilySize + length + 1);
        Encoding.UTF8.GetBytes(path, address.Buffer.Span[FamilySize..]);
        return address;
    }

    /// <summary>The addresses the runtime reads back (the listener's, its clients') are ordinary Unix endpoints.</summary>
    public override EndPoint Create(SocketAddress socketAddress) => Prototype.Create(socketAddress);

    public override string ToString() => path;
}
