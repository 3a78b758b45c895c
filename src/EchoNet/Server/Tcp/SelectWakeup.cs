using System.Net;
using System.Net.Sockets;

namespace EchoNet.Server.Tcp;

/// <summary>
/// A loopback UDP socket connected to itself that sits in the select model's read set, so another thread can wake
/// the loop (to stop) without a short timeout that would spin.
/// </summary>
internal sealed class SelectWakeup : IDisposable
{
    private static readonly byte[] Signal = [1];
    private readonly byte[] _drain = new byte[16];

    public SelectWakeup()
    {
        IPAddress loopback = Socket.OSSupportsIPv4 ? IPAddress.Loopback : IPAddress.IPv6Loopback;
        Socket = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        Socket.Bind(new IPEndPoint(loopback, 0));
        Socket.Connect(Socket.LocalEndPoint!);
        Socket.Blocking = false;
    }

    public Socket Socket { get; }

    /// <summary>Makes the socket readable; safe from any thread, and a no-op once the loop has exited and closed it.</summary>
    public void Wake()
    {
        try
        {
            Socket.Send(Signal, SocketFlags.None, out _);
        }
        catch (ObjectDisposedException)
        {
            // The loop has already finished: there is nothing left to wake.
        }
    }

    /// <summary>Reads every pending signal, so the socket is quiet until the next <see cref="Wake"/>.</summary>
    public void Drain()
    {
        while (Socket.Receive(_drain, 0, _drain.Length, SocketFlags.None, out SocketError error) > 0 && error == SocketError.Success)
        {
        }
    }

    public void Dispose() => Socket.Dispose();
}
