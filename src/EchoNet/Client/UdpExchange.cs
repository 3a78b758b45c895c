using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EchoNet.Client;

/// <summary>
/// One datagram out, its echo back, over a connected UDP socket: waits a reply timeout, sends again up to a number
/// of retries, and moves to the host's next address when the current one answers "port unreachable".
/// </summary>
internal sealed class UdpExchange : IDisposable
{
    /// <summary>The largest UDP payload over IPv4 (65,535 - 20 bytes of IP header - 8 of UDP header).</summary>
    public const int MaxIPv4Datagram = 65_507;

    /// <summary>The largest UDP payload over IPv6 without jumbograms (65,535 - 8 bytes of UDP header).</summary>
    public const int MaxIPv6Datagram = 65_527;

    private readonly string _host;
    private readonly int _port;
    private readonly IReadOnlyList<IPAddress> _addresses;
    private readonly TimeSpan _replyTimeout;
    private readonly int _retries;

    // One byte more than any datagram, so a reply is never truncated.
    private readonly byte[] _receiveBuffer = new byte[MaxIPv6Datagram + 1];
    private int _current;
    private Socket _socket;

    public UdpExchange(string host, int port, IReadOnlyList<IPAddress> addresses, TimeSpan replyTimeout, int retries)
    {
        _host = host;
        _port = port;
        _addresses = addresses;
        _replyTimeout = replyTimeout;
        _retries = retries;
        _socket = Open(addresses[0], port);
    }

    public Socket Socket => _socket;

    /// <summary>Gets the largest datagram the current address family carries.</summary>
    public int MaxDatagramSize => _socket.AddressFamily == AddressFamily.InterNetworkV6 ? MaxIPv6Datagram : MaxIPv4Datagram;

    public async Task<byte[]> EchoAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        int attempts = 1 + _retries;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            // Checked on every attempt: moving to the host's next address may change the family, and the limit with it.
            ThrowIfTooLarge(datagram, nameof(datagram));
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(_replyTimeout);
            try
            {
                await _socket.SendAsync(datagram, SocketFlags.None, wait.Token).ConfigureAwait(false);
                while (true)
                {
                    int received = await _socket.ReceiveAsync(_receiveBuffer, SocketFlags.None, wait.Token).ConfigureAwait(false);
                    if (_receiveBuffer.AsSpan(0, received).SequenceEqual(datagram.Span))
                    {
                        return _receiveBuffer.AsSpan(0, received).ToArray();
                    }

                    // A late echo of an earlier datagram: keep waiting for this one's.
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No reply within the timeout: the datagram or its echo was lost; send again if retries are left.
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                if (_current + 1 >= _addresses.Count)
                {
                    throw EchoConnectException.From(e, _host, _port, EchoTransports.Udp, [.. _addresses.Select(a => new IPEndPoint(a, _port))]);
                }

                // Nothing listens on this address; the next one (the other family, say) does not cost a retry.
                MoveToNextAddress();
                attempt--;
            }
        }

        throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
            $"No echo from {_host} port {_port} (UDP, {_socket.RemoteEndPoint}) after {attempts} datagram(s), waiting {_replyTimeout.TotalSeconds:0.###} s for each. UDP does not retransmit: the datagrams or their echoes were lost, or nothing answers on that port. Check that a UDP echo server runs there, or allow more retries."));
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Throws when <paramref name="datagram"/> does not fit in one datagram of the current address family.</summary>
    public void ThrowIfTooLarge(ReadOnlyMemory<byte> datagram, string paramName)
    {
        int max = MaxDatagramSize;
        if (datagram.Length > max)
        {
            throw new ArgumentOutOfRangeException(paramName, datagram.Length,
                $"A UDP datagram to {_socket.RemoteEndPoint} holds at most {max} bytes; send less per call, or use EchoClient (TCP) for a stream of any length.");
        }
    }

    private static Socket Open(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Connecting a UDP socket sends nothing; it fixes the peer so that only its datagrams are received.
            socket.Connect(new IPEndPoint(address, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void MoveToNextAddress()
    {
        _current++;
        Socket next = Open(_addresses[_current], _port);
        _socket.Dispose();
        _socket = next;
    }
}
