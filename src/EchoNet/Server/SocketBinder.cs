using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server;

/// <summary>Creates the server's sockets, bound (and for TCP listening), turning bind failures into <see cref="EchoBindException"/>.</summary>
internal static class SocketBinder
{
    private const int EphemeralPairAttempts = 10;

    /// <summary>Binds every transport the options ask for on one port; TCP first, then UDP.</summary>
    public static (Socket? Tcp, Socket? Udp) BindAll(EchoServerOptions options, ILogger logger)
    {
        bool tcp = options.Transports.HasFlag(EchoTransports.Tcp);
        bool udp = options.Transports.HasFlag(EchoTransports.Udp);
        if (!(tcp && udp))
        {
            return tcp ? (Bind(options, options.Port, EchoTransports.Tcp, logger), null) : (null, Bind(options, options.Port, EchoTransports.Udp, logger));
        }

        for (int attempt = 1; ; attempt++)
        {
            Socket tcpSocket = Bind(options, options.Port, EchoTransports.Tcp, logger);
            int port = ((IPEndPoint)tcpSocket.LocalEndPoint!).Port;
            try
            {
                return (tcpSocket, Bind(options, port, EchoTransports.Udp, logger));
            }
            catch (EchoBindException e) when (options.Port == 0 && e.SocketError == SocketError.AddressAlreadyInUse && attempt < EphemeralPairAttempts)
            {
                // The ephemeral port TCP got is taken on UDP: try another pair.
                tcpSocket.Dispose();
            }
            catch
            {
                tcpSocket.Dispose();
                throw;
            }
        }
    }

    private static Socket Bind(EchoServerOptions options, int port, EchoTransports transport, ILogger logger)
    {
        if (options.Address is { } address)
        {
            return BindTo(address, port, transport, options);
        }

        if (!Socket.OSSupportsIPv6)
        {
            return BindTo(IPAddress.Any, port, transport, options);
        }

        try
        {
            return BindTo(IPAddress.IPv6Any, port, transport, options);
        }
        catch (EchoBindException e) when (e.SocketError is SocketError.AddressFamilyNotSupported or SocketError.ProtocolFamilyNotSupported or SocketError.AddressNotAvailable)
        {
            Log.BindFellBackToIPv4(logger, transport, port, e.SocketError);
            return BindTo(IPAddress.Any, port, transport, options);
        }
    }

    private static Socket BindTo(IPAddress address, int port, EchoTransports transport, EchoServerOptions options)
    {
        var endPoint = new IPEndPoint(address, port);
        Socket socket;
        try
        {
            socket = transport == EchoTransports.Tcp
                ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
                : new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        }
        catch (SocketException e)
        {
            throw EchoBindException.From(e, endPoint, transport);
        }

        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            AddressReuse.Apply(socket, options);
            socket.Bind(endPoint);
            if (transport == EchoTransports.Tcp)
            {
                socket.Listen(options.Backlog);
            }

            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw EchoBindException.From(e, endPoint, transport);
        }
    }
}
